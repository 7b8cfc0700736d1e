"""syncom: two boards exchange numbered messages over four wires; a board reset mid-message, noise, an absent peer.

The syncom_pair app (apps/syncom_pair) builds both boards: the active end
"a" (this scenario's board) and the passive end "b" (a_peer), crossed
clock and data wires plus a reset wire from a to b, each board charged
300 us of CPU per task step and 25 us per interrupt (a MicroPython-class
board).  Each sends numbered messages "<n>:" + filler; the receiver
delivers n only after n-1 and drops a copy it already has.

Part 1 times a clean exchange to the microsecond and prints the throughput.
Part 2 kills b's firmware in the middle of a message (where depends on the
seed): a times out, resets b over the reset wire, and the link restarts
from the sync character; later, noise on a data wire makes it restart
again.  Part 3 reboots b quickly, within a's timeout T (5 or 20 ms
without the reset wire, 50 ms with it, when depends on the seed): a never
times out, b's fresh clock answers a's, and a must not count the message
it was sending as delivered -- "sent" means b's application collected it,
which b's status frame says.  In every part every message either side
reported sent was delivered, in order, with nothing lost; a copy of one
already delivered (the reboot cut off its acknowledgement) is dropped by
the receiver.  Part 4 has no peer at all: the send fails with SYNCOM_ENOPEER.
"""
from uasync_sim.errors import code
import random

SYNCOM_ENOPEER = code("SYNCOM_ENOPEER")
BIT_MS = 0.650       # one bit each way: a's step 300 + b's irq 25 + step 300 + a's irq 25 us
A, B = 0, 1          # board indexes: a is created first, b by the app


def scenario(ctx):
    clean_exchange(ctx)
    faults(ctx)
    quick_reboot(ctx)
    absent_peer(ctx)


def notes(sim, name, board):
    return sim.events("note:" + name, board=board)  # selected by the simulator


def check_delivery(sim, app, count):
    """Both ways: delivered 1..count once each and in order, nothing lost,
    corrupt or out of order, and every "sent" after the peer's "got"."""
    for src, dst, end in ((A, B, "a"), (B, A, "b")):
        sent = notes(sim, "sent", src)
        got = notes(sim, "got", dst)
        assert [r.arg for r in sent] == list(range(1, count + 1)), sent
        assert [r.arg for r in got] == list(range(1, count + 1)), got
        for s, g in zip(sent, got):
            assert g.t_ns < s.t_ns, (g, s)     # the peer had it before "sent"
        peer = "b" if end == "a" else "a"
        assert app.probe(end + ".acked") == count
        assert app.probe(peer + ".gaps") == 0 and app.probe(peer + ".corrupt") == 0
    sim.expect_none("note:gap")
    sim.expect_none("note:corrupt")


def clean_exchange(ctx):
    sim = ctx.sim().unordered_boards()  # two CPUs: any may step first
    app = sim.board("a").app("syncom_pair", "count=10,payload=20")
    sim.run_until(2000)
    check_delivery(sim, app, 10)
    assert app.probe("a.restarts") == 0 and app.probe("b.rx_errors") == 0

    # Message 1 is 24 characters of 7 bits (header, 20 bytes, two checks,
    # the 0) behind the 8-bit sync and the 14-bit status frame: 190 bits
    # of 650 us = 123.5 ms, plus 0.875 ms of start-up and reporting (the
    # tasks' first 300 us steps, and b's receive task's step): 124.375 ms.
    first = 190 * BIT_MS + 0.875
    sim.expect("note:got", at=first, board=B, arg=1)
    # a samples b's last bit of the same message at its next action,
    # half a bit (325 us) later: the link is full duplex.
    sim.expect("note:got", at=first + BIT_MS / 2, board=A, arg=1)
    # syncom_send returns only once b's status says its application has
    # the message: b's receive task took it just before b's next character
    # boundary, so the 14-bit status goes at once; a samples its last bit
    # half a bit later and its send task reports: 14.5 bit times.
    sim.expect("note:sent", at=first + 14.5 * BIT_MS, board=A, arg=1)
    # Back to back, each later message takes 189 bits: its 168, the
    # status (14), and one idle character while the sender queues the
    # next: 122.85 ms.
    for n in range(2, 11):
        sim.expect("note:got", at=first + (n - 1) * 189 * BIT_MS, board=B, arg=n)

    last = notes(sim, "got", A)[-1].t_ms
    bps = 10 * 20 * 8 / (last / 1000)
    ctx.log(f"syncom: 10 x 20-byte messages each way in {last:.3f} ms: "
            f"{bps:.0f} bit/s of payload each way, {2 * bps:.0f} bit/s both ways "
            f"(the wire: {1000 / BIT_MS:.0f} bit/s each way)")
    assert 1250 < bps < 1350


def faults(ctx):
    sim = ctx.sim().unordered_boards()  # two CPUs: any may step first
    app = sim.board("a").app("syncom_pair", "count=30,payload=40")
    rng = random.Random(ctx.seed)

    # Each 40-byte message is 44 characters: about 200 ms on the wire.
    # b's firmware dies somewhere in the middle of one (the seed picks
    # where; its outputs go low) and stays dead.  a's wait for b's clock
    # times out after T = 50 ms; a pulses the reset wire for 100 ms (b
    # boots when it is released), stays quiet 2T = 100 ms, and restarts
    # the link from the sync character.
    t_reset = 1000 + rng.uniform(0, 200)
    sim.run_until(t_reset)
    in_flight = app.probe("a.acked") + 1
    app.set("reset_b", 0)

    # Later, a burst of 400 us pulses on the a->b data wire: b sees bad
    # characters or bad checks and restarts the link; no message survives
    # corrupt.
    d_ab = app.pin("d_ab")
    for _ in range(8):
        t = rng.uniform(3000, 4000)
        d_ab.drive(0, at=t)
        d_ab.drive(None, at=t + 0.4)
    sim.run_until(10000)                       # all done by about 7.7 s

    check_delivery(sim, app, 30)
    # Every restart of a's link pulses the wire, and each pulse boots b.
    assert app.probe("a.boots") == 1
    assert app.probe("b.boots") == 1 + app.probe("a.nboots")
    sim.expect("note:reset", at=t_reset, board=B)
    # a's last action was within a bit time after the reset, and its wait
    # for b's answer times out T = 50 ms later; the step that handles it
    # (300 us) pulls the reset wire low, the one after the 100 ms pulse
    # (300 us again) releases it, and b boots at that very edge.
    low, high = sim.events("pin:b.reset", since=t_reset)[:2]
    assert low.arg == 0 and high.arg == 1
    assert t_reset + 50 < low.t_ms < t_reset + 50 + 2 * BIT_MS, low
    assert abs(high.t_ms - low.t_ms - 100.3) < 1e-6, high
    sim.expect("note:boot", at=high.t_ms, board=B)
    # The message in flight when b went down was resent after the restart:
    # b delivered it once (a copy it may already have had is dropped).
    got = notes(sim, "got", B)
    assert [r.arg for r in got].count(in_flight) == 1
    dups = len(sim.events("note:dup"))
    ctx.log(f"b reset at {t_reset:.3f} ms during message {in_flight}, rebooted by a's "
            f"reset pulse at {high.t_ms:.3f} ms; data-wire noise: "
            f"{app.probe('a.restarts') - 1} more link restart(s); {len(got)} messages "
            f"each way delivered once, in order ({dups} resent copies dropped)")


def quick_reboot(ctx):
    rng = random.Random(ctx.seed)
    down, wire = rng.choice(((5, 0), (20, 0), (50, 1)))
    sim = ctx.sim().unordered_boards()  # two CPUs: any may step first
    app = sim.board("a").app("syncom_pair", f"count=8,payload=40,reset={wire}")
    # Each 40-byte message is about 200 ms on the wire; b's firmware dies
    # somewhere around message 5 and boots `down` ms later, before a's
    # wait for b's clock times out (T = 50 ms): a's link never restarts
    # on its own account, b's fresh clock simply answers.
    t_reset = 1000 + rng.uniform(0, 200)
    sim.run_until(t_reset)
    app.set("reset_b", down)
    sim.run_until(12000)
    check_delivery(sim, app, 8)
    sim.expect("note:reset", at=t_reset, board=B)
    dups = len(sim.events("note:dup"))
    assert dups <= 2, dups
    ctx.log(f"b rebooted within T: down {down} ms at {t_reset:.3f} ms "
            f"({'with' if wire else 'no'} reset wire): 8 messages each way "
            f"delivered, in order ({dups} copies dropped)")


def absent_peer(ctx):
    sim = ctx.sim().unordered_boards()  # two CPUs: any may step first
    app = sim.board("alone").app("syncom_pair", "peer=0,count=1,send_timeout=1000")
    sim.run_until(2500)
    # Nobody answers: the send gives up after its 1000 ms timeout with the
    # link down.  The link, receive and send tasks each take a 300 us
    # first step, so the send's wait begins at 0.9 ms; its timer fires at
    # 1000.9 ms and the step that reports is charged 300 us: 1001.2 ms.
    err = sim.expect("note:send_err", at=1001.2, arg=1)
    assert err.sarg2 == SYNCOM_ENOPEER
    assert app.probe("a.running") == 0 and app.probe("a.timeouts") >= 1
    ctx.log(f"absent peer: syncom_send -> SYNCOM_ENOPEER at {err.t_ms:.3f} ms, "
            f"retried: {len(sim.events('note:send_err'))} errors by 2.5 s")
