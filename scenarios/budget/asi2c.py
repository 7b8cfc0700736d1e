"""Budget: asi2c (I2C slave/master link between two boards) under a CPU hog on the Responder (the I2C master) in the middle of the stream -- every record delivered once, in order, without a reset, resync or error.

`tools/sim budget scenarios/budget/asi2c.py --task hog` finds the longest
hog (parameter hog_ms) this survives; docs/budgets.md has the figure.

The asi2c_pair app runs the Initiator "ini" (an I2C slave, driving syn and
the Responder's reset line) and the Responder "ini_peer" (the I2C master,
driving ack), each sending 10 numbered 50-byte records; an exchange every
t_poll = 100 ms (103.116 ms with the transfers).

Why this board and moment: the Initiator's side of a transfer is served by
its I2C slave interrupt, and it has a handshake timeout (ASI2C_TIMEOUT_MS,
1000 ms without ack) after which it resets the Responder; the Responder,
the master, drives every transfer from its task.  So a hog on the Initiator
only delays the link (it passes at any length we tried, 3 s), while a hog
on the Responder stops the transfers outright, and the Initiator, which
raised syn for the next exchange just after the hog began (at 1500 ms),
gives up 1000 ms later: a reset of the Responder and a resync.  The
records survive it (the protocol's design), but the link has failed once:
that is what breaks first.

Asserted: both ways, records 1..10 reported sent and delivered once each
in order; no gap, corrupt record, duplicate, I2C or protocol error, write
or read error and no reboot on either side from the hog on (the
start-up's NACKed polls are the link's, before it); no unhandled task
error.
"""

PARAMS = {"hog_ms": "length of the CPU hog 'hog' on the Responder at 1500 ms (ms)"}
BUDGET = {"driver": "asi2c (`devices/asi2c`)", "max": 3000,
          "pattern": "one hog on the Responder (I2C master) mid-stream"}

INI, RESP = 0, 1     # board indexes: ini is created first, its peer by the app
COUNT = 10
HOG_AT = 1500.0


def notes(sim, name, board):
    return [r for r in sim.events("note:" + name) if r.board == board]


def scenario(ctx):
    hog_ms = ctx.param("hog_ms", 0.0)
    # explore: any board may step first, interrupts held off up to 20 us
    sim = ctx.sim().unordered_boards()
    app = sim.board("ini").app("asi2c_pair", f"count={COUNT},payload=50")
    sim.find_board("ini_peer").irq_latency(20).hog(busy=hog_ms, at=HOG_AT, name="hog")
    counters = ("nboots", "i2c_errors", "proto_errors", "gaps", "corrupt", "dups",
                "write_errors", "read_errors")
    sim.run_until(HOG_AT)
    # the Responder's polls NACKed while the Initiator boots count as I2C
    # errors (one, at start-up): what counts is what happens from the hog on
    before = {(end, k): app.probe(f"{end}.{k}") for end in ("ini", "resp")
              for k in counters}
    sim.run_until(max(3000, HOG_AT + hog_ms + 2500))

    for end in ("ini", "resp"):
        bad = {k: app.probe(f"{end}.{k}") - before[end, k] for k in counters}
        bad = {k: v for k, v in bad.items() if v}
        assert not bad, f"board {end}: {bad} (since the hog began)"
    for src, dst in ((INI, RESP), (RESP, INI)):
        sent = [r.arg for r in notes(sim, "sent", src)]
        got = [r.arg for r in notes(sim, "got", dst)]
        want = list(range(1, COUNT + 1))
        assert sent == want and got == want, \
            f"board {src} -> {dst}: sent {sent}, delivered {got}"
