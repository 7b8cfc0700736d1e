"""Budget: syncom (bit-banged link between two boards) under a CPU hog on the active board in the middle of a message -- every message delivered once, in order, without a timeout or a link restart.

`tools/sim budget scenarios/budget/syncom.py --task hog` finds the longest
hog (parameter hog_ms) this survives; docs/budgets.md has the figure.

The syncom_pair app runs the active end "a" and the passive end "b"
(a_peer), each sending 10 numbered 20-byte messages; every bit is a
handshake (a's task drives its clock, b's interrupt and task answer),
about 650 us a bit.

Why this moment: the link has no buffer to ride a hog out -- each bit
waits for the other side's task -- and each side gives up when the peer's
clock has not moved for T = 50 ms (the driver's timeout): it drives low,
resets the peer and restarts the link.  A hog in the middle of a message
(at 500 ms, in message 4) stalls a between two bits; b, waiting for a's
clock, times out once the hog is longer than about T.  That is what breaks
first: a timeout and a restart (messages are still delivered after the
restart, but the link has failed once -- a budget is the hog the link
rides without failing).

Asserted: both ways, messages 1..10 reported sent and delivered once each
in order; no gap, corrupt message, duplicate, receive error, timeout,
restart or reboot on either side; no unhandled task error.
"""

PARAMS = {"hog_ms": "length of the CPU hog 'hog' on board a at 500 ms, inside "
                    "message 4 (ms)"}
BUDGET = {"driver": "syncom (`devices/syncom`)", "max": 1000,
          "pattern": "one hog on the active board in the middle of a message"}

A, B = 0, 1          # board indexes: a is created first, b by the app
COUNT = 10
HOG_AT = 500.0


def notes(sim, name, board):
    return [r for r in sim.events("note:" + name) if r.board == board]


def scenario(ctx):
    hog_ms = ctx.param("hog_ms", 0.0)
    # explore: any board may step first, interrupts held off up to 20 us
    sim = ctx.sim().unordered_boards()
    board = sim.board("a").irq_latency(20)
    app = board.app("syncom_pair", f"count={COUNT},payload=20")
    board.hog(busy=hog_ms, at=HOG_AT, name="hog")
    sim.run_until(max(3000, HOG_AT + hog_ms + 2500))

    for end in ("a", "b"):
        bad = {k: app.probe(f"{end}.{k}") for k in
               ("timeouts", "restarts", "rx_errors", "duplicates", "nboots", "gaps",
                "corrupt", "dups", "send_errors", "recv_errors")}
        bad = {k: v for k, v in bad.items() if v}
        assert not bad, f"board {end}: {bad}"
    for src, dst in ((A, B), (B, A)):
        sent = [r.arg for r in notes(sim, "sent", src)]
        got = [r.arg for r in notes(sim, "got", dst)]
        want = list(range(1, COUNT + 1))
        assert sent == want and got == want, \
            f"board {src} -> {dst}: sent {sent}, delivered {got}"
