"""HD44780: text written by the firmware appears on the model's glass, 16x2 and 20x4, no timing violations.

Two boards run the lcd app (apps/lcd): a 16x2 that later shows a counter on
its last row, and a 20x4 with a greeting on every row (rows at DDRAM 0x00,
0x40, 0x14, 0x54).  The model decodes the pin wiggles and checks every
datasheet timing.  Times come from the driver's documented waits:
  init done at 57.574 ms = 50 ms power-on + 2 us nibble + 5 ms + (nibble,
    200 us, nibble, 50 us, nibble, 50 us: 306 us) + 4 bytes x 54 us +
    (2100 - 50) us of clear;
  a byte costs 54 us (two nibbles of 1 us setup + 1 us E pulse, 50 us exec),
  a row is its address byte plus one byte per column.
"""

INIT_MS = 57.574
BYTE_MS = 0.054


def scenario(ctx):
    sim = ctx.sim()
    small = sim.board("lcd16x2").app("lcd", "cols=16,rows=2,update=490")
    large = sim.board("lcd20x4").app("lcd", "cols=20,rows=4")
    sim.run_until(1200)

    # 16x2: 2 rows x (1 + 16) bytes after the init: 57.574 + 34 x 0.054.
    done = sim.expect("note:flushed", at=INIT_MS + 34 * BYTE_MS, board=0)
    assert done.arg == 4 + 34                          # init bytes + rows
    # 20x4: 4 rows x (1 + 20) bytes: 57.574 + 84 x 0.054 = 62.110 ms.
    sim.expect("note:flushed", at=INIT_MS + 84 * BYTE_MS, board=1)

    # The counter: written at 59.410 + 490 = 549.410; the refresh pass runs
    # every 20 ms from 59.410, so at 559.410, and rewrites one row (17 bytes).
    sim.expect("note:flushed", at=59.410 + 500 + 17 * BYTE_MS, board=0)
    # The refresh task sleeps 20 ms after each pass, so that 0.918 ms pass
    # moved its grid to 560.328 + 20k: the next counter (written at
    # 560.328 + 490) goes out in the pass at 1060.328.
    sim.expect("note:flushed", at=560.328 + 500 + 17 * BYTE_MS, board=0)

    assert small.lcd_text() == "Hello, uasync!  \ncount 2         "
    assert large.lcd_text().split("\n") == [
        "Hello, uasync!      ", "HD44780 20x4 glass  ",
        "0x14: third row     ", "0x54: fourth row    "]
    assert small.probe("violations") == 0 and large.probe("violations") == 0
    for line in large.lcd_text().split("\n"):
        ctx.log(f"  |{line}|")
