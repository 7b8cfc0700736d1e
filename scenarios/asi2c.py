"""asi2c: two boards stream numbered records over I2C (slave/master) plus syn and ack wires; a hung Responder is reset, glitches, NACKs, no peer.

The asi2c_pair app (apps/asi2c_pair) builds both boards: the Initiator
"ini" (this scenario's board, an I2C slave at 0x12, driving syn and the
Responder's reset line) and the Responder "ini_peer" (the I2C master at
400 kHz, driving ack), each charged 100 us of CPU per task step and 10 us
per interrupt.  Each writes numbered records "<n>:" + filler; a record
counts as sent when the link takes the next one (or a flush returns), and
the reader delivers n only after n-1 and drops a copy it already has.

A record counts as sent only once the peer's reader has consumed it (the
peer's next header says so), so a reset of either board cannot lose one
reported sent; a copy of one already delivered (a reset cut off that
report) is dropped by the reader.

Part 1 times the start-up and the exchanges to the microsecond and prints
the throughput.  Part 2 hangs the Responder mid-stream (when depends on
the seed, including just after an exchange, before its reader ran): the Initiator's handshake timeout pulses the reset line, the
Responder reboots and the stream resumes; glitches on syn and ack and two
NACKed transfers are survived too; every record reported sent was
delivered exactly once, in order.  Part 3 has no Responder: the Initiator
never synchronises and a write that has to wait fails with ASI2C_ENOPEER.
"""
from uasync_sim.errors import code
import random

ASI2C_ENOPEER = code("ASI2C_ENOPEER")
INI, RESP = 0, 1     # board indexes: ini is created first, its peer by the app
BIT_US = 2.5         # I2C at 400 kHz
TBUF_MS = 0.0013     # bus free time between a STOP and the next START (I2C spec, 400 kHz)


def scenario(ctx):
    clean_exchange(ctx)
    faults(ctx)
    absent_peer(ctx)


def notes(sim, name, board):
    return sim.events("note:" + name, board=board)  # selected by the simulator


def check_delivery(sim, app, count):
    """Both ways: 1..count reported sent, and delivered once each, in
    order, with nothing lost or corrupt."""
    for src, dst, end, peer in ((INI, RESP, "ini", "resp"), (RESP, INI, "resp", "ini")):
        sent = notes(sim, "sent", src)
        got = notes(sim, "got", dst)
        assert [r.arg for r in sent] == list(range(1, count + 1)), sent
        assert [r.arg for r in got] == list(range(1, count + 1)), got
        assert app.probe(end + ".sent") == count
        assert app.probe(peer + ".gaps") == 0 and app.probe(peer + ".corrupt") == 0
    sim.expect_none("note:gap")
    sim.expect_none("note:corrupt")


def i2c_us(nbytes):
    """One transfer: start, address and n bytes of 9 bits, stop."""
    return (1 + 9 * (1 + nbytes) + 1) * BIT_US


def clean_exchange(ctx):
    sim = ctx.sim()
    app = sim.board("ini").app("asi2c_pair", "count=10,payload=50")
    sim.run_until(2500)
    check_delivery(sim, app, 10)
    assert app.probe("ini.nboots") == 0

    # Start-up: the Initiator sees ack low at its poll 100 ms in, lets the
    # wires settle 1 s, waits t_poll (100 ms), and raises syn in the step
    # that follows; the steps before it (3 tasks x 100 us, then one per
    # wake-up) put the edge at 1200.4 ms.
    syn = 1200.4
    sim.expect("pin:ini.syn", at=syn, arg=1)
    # The Initiator's first frame after the wire check is a bare header:
    # it has no status from the Responder yet, so it may not send (its
    # record would get a sequence bit the Responder might take for a copy
    # of one from before a reset).  The Responder's interrupt (10 us) wakes
    # its link task: a 100 us step, the seed's 20 us delay, the 2-byte
    # read; it yields once (100 us), then writes its header and record 1
    # (2 + 50 bytes) and toggles ack; the Initiator's link and reader steps
    # report record 1 there at 1202.1175 ms.
    sim.expect("note:got", at=1202.1175, board=INI, arg=1)
    # The Initiator's record 1 goes in the second exchange; the Responder's
    # reader takes it during the Responder's yield, so the Responder's
    # header in that same exchange says it was consumed: 1303.717 ms, plus
    # the bus free time between the header's read and the record's.
    first = 1303.717 + TBUF_MS
    sim.expect("note:got", at=first, board=RESP, arg=1)
    # "sent" means the peer's reader consumed it: the Responder's record 1
    # is reported sent when the Initiator's next header says so (its link
    # step, then its writer's): 1303.617 ms; the Initiator's when the
    # Responder's answer arrives: 1305.232 ms (each + tBUF: both come after
    # the body's read, which waits for the bus free time after the header's).
    sim.expect("note:sent", at=1303.617 + TBUF_MS, board=RESP, arg=1)
    sim.expect("note:sent", at=1305.232 + TBUF_MS, board=INI, arg=1)
    # Then one record each way per exchange: t_poll after the previous one
    # ended, 103.116 ms apart (100 ms + the exchange's 3.1163 ms, 300 us
    # more than without consumption acknowledgements: the yield, and 1.3 us
    # of bus free time; the poll timer counts from the 1 us tick).
    period = 103.116
    for n in range(2, 11):
        sim.expect("note:got", at=first + (n - 1) * period, board=RESP, arg=n)

    bits = 50 * 8
    last = notes(sim, "got", INI)[-1].t_ms
    ctx.log(f"asi2c: 10 x 50-byte records each way by {last:.3f} ms; steady state "
            f"{bits / period * 1000:.0f} bit/s each way ({2 * bits / period * 1000:.0f} "
            f"both ways) at t_poll 100 ms; {10 * bits / (last / 1000):.0f} bit/s each "
            f"way counting the 1.2 s start-up; exchange (syn to ack) max "
            f"{app.probe('ini.block_max')} us")


def faults(ctx):
    sim = ctx.sim()
    app = sim.board("ini").app("asi2c_pair", "count=30,payload=120")
    rng = random.Random(ctx.seed)

    # The Responder's firmware dies mid-stream and stays dead: only the
    # Initiator's handshake timeout (1 s without ack) and its reset pulse
    # (200 ms low) bring it back.  The seed picks when -- anywhere,
    # including the 100 us after an exchange put a record in the
    # Responder's buffer and before its reader took it (a third of the
    # seeds land in that window): a record counts as sent only once the
    # peer's reader consumed it, so the reset cannot lose one.
    sim.run_until(2000)
    sim.run_until_true(lambda: notes(sim, "got", RESP)[-1].t_ms > 2000, timeout=200)
    last = notes(sim, "got", RESP)[-1].t_ms
    if rng.random() < 1 / 3:   # between the Responder's commit and its reader
        t_hang = last + 103.116 - 0.15 + rng.uniform(0, 0.1)
    else:
        t_hang = last + rng.uniform(0, 103)
    sim.run_until(t_hang)
    in_flight = app.probe("ini.sent") + 1
    app.set("reset_resp", 0)

    # Later, glitches: 50 us pulses on syn and on ack at seed-chosen times.
    syn, ack = app.pin("syn"), app.pin("ack")
    for i in range(10):
        pin = ack if i % 2 else syn
        t = rng.uniform(6000, 7000)
        pin.drive(rng.randrange(2), at=t)
        pin.drive(None, at=t + 0.05)
    sim.run_until(9000)

    # Then two transfers NACKed at the address: the Responder retries (up
    # to 3 tries per transfer) and the exchange still completes.
    bus = app.i2c("i2c")
    failures = bus.counters["failures"]
    bus.inject("nack_addr", 2)
    sim.run_until(20000)

    check_delivery(sim, app, 30)
    assert bus.counters["failures"] >= failures + 2
    sim.expect("note:reset", at=t_hang, board=RESP)
    # The reset pulse: the Initiator's last syn edge went unanswered; 1 s
    # later its timer fires and the step (100 us) pulls the line low; 200 ms
    # later (+ the next step) it lets go, and the Responder boots then.
    low, high = sim.events("pin:resp.reset", since=t_hang)[:2]
    assert low.arg == 0 and high.arg == 1
    unanswered = [r for r in sim.events("pin:ini.syn", since=t_hang - 110)
                  if r.t_ns < low.t_ns][-1]
    assert t_hang - 103 < unanswered.t_ms < t_hang + 103, unanswered
    assert abs(low.t_ms - unanswered.t_ms - 1000.1) < 1e-6, (unanswered, low)
    assert abs(high.t_ms - low.t_ms - 200.1) < 1e-6, (low, high)
    sim.expect("note:boot", at=high.t_ms, board=RESP)
    assert app.probe("resp.boots") == 1 + app.probe("ini.nboots")
    dups = len(sim.events("note:dup"))
    ctx.log(f"Responder hung at {t_hang:.3f} ms, reset by the Initiator at "
            f"{low.t_ms:.3f} ms, rebooted at {high.t_ms:.3f} ms (record {in_flight} "
            f"was next to go); glitches and NACKs: "
            f"{app.probe('ini.nboots')} reset(s) in all, {bus.counters['failures']} "
            f"failed transfers; 30 records each way delivered once, in order "
            f"({dups} resent copies dropped)")


def absent_peer(ctx):
    sim = ctx.sim()
    app = sim.board("alone").app("asi2c_pair", "peer=0,count=2,write_timeout=2500")
    sim.run_until(5000)
    # Record 1 is queued at once (the link's buffer was free)...
    sim.expect("note:queued", at=0.3, arg=1)
    # ... and the write of record 2 waits for it to be sent, which never
    # happens: 2.5 s later it fails, the link never synchronised.  The
    # wait began at 0.3 ms, and the step that reports costs 100 us.
    err = sim.expect("note:write_err", at=2500.4, arg=2)
    assert err.sarg2 == ASI2C_ENOPEER
    assert app.probe("ini.synced") == 0 and app.probe("ini.exchanges") == 0
    # Nobody pulls ack low: a failure counted every eleven 100 ms polls.
    assert app.probe("ini.nboots") == 4
    ctx.log(f"absent peer: asi2c_write -> ASI2C_ENOPEER at {err.t_ms:.3f} ms; "
            f"{app.probe('ini.nboots')} handshake timeouts by 5 s")
