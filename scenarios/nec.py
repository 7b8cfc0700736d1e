"""NEC IR: transmitter frames (standard, extended, repeats, jitter) and real captures decoded at exact times; a CPU hog still decodes; noise and look-alike protocols never blind the decoder.

The ir app (apps/ir) decodes with the NEC driver, which delivers a frame at
the block time after a burst's first edge -- 73 ms, 80 ms with extended
addresses on -- measured from the edge's own tick.  So a frame whose leader
starts at t is reported at exactly t + 73 (or t + 80) ms, and the
transmitter's seeded jitter (+-100 us on every mark and space) changes
nothing.  Repeat codes follow every 108 ms from the frame start.

Noise (a board driven by scripted edges): a 300 us pulse 20, 40 or 60 ms
before a frame is reported as NEC_BADLEADER at the frame's first edge (which
shows the pulse was no leader), and the frame decodes on its own block
time; a Samsung-style frame (4.5 ms leader) gives one NEC_BADLEADER, 9 ms
after it starts, and no frame.

Real captures (tests/data/ir, LIRC mode2, first mark at t0) are replayed
on an extended-mode board; index.json gives each frame's start, address and
command (sigrok's decode), so each is expected at t0 + t_us + 80 ms, and
each repeat code at t0 + repeat_t_us + 80 ms -- except the fans' 48-bit
frames, still sending then: they come once their end is certain, 2.251 ms
(NEC_BIT_SPACE_MAX + 1 us) after their last mark.
"""
from uasync_sim.errors import code
import bisect
import itertools
import json
import os

NEC_BADADDR = code("NEC_BADADDR")
NEC_BADLEADER = code("NEC_BADLEADER")
BLOCK, BLOCK_EXT = 73, 80
BIT_SPACE_MAX_US = 2250


def read_mode2(path):
    """A capture's edges: their times (us) and the level after each (1 at
    the end of a mark), the first edge a mark's start."""
    with open(path) as f:
        words = f.read().split()                   # pulse N space N ...
    times = list(itertools.accumulate(map(int, words[1::2])))
    return times, [int(kind == "pulse") for kind in words[0::2]]


def due_ms(capture, t_us, block_ms):
    """When the driver reports the burst starting at t_us of a capture: the
    block time, or 2251 us after its last mark if that is later."""
    times, levels = capture
    end = t_us
    for k in range(bisect.bisect_right(times, t_us + 9000 + 4500 - 3000), len(times)):
        if levels[k] != 1:
            continue
        end = times[k]
        nxt = bisect.bisect_right(times, end, k + 1)     # the next edge after it
        if nxt == len(times) or times[nxt] - end > BIT_SPACE_MAX_US:
            break
    return max(t_us / 1000 + block_ms, (end + BIT_SPACE_MAX_US + 1) / 1000)


def scenario(ctx):
    sim = ctx.sim()
    std = sim.board("std").app("ir", "jitter=100")
    ext = sim.board("ext").app("ir", "extended=1,jitter=100")
    hog = sim.board("hog").app("ir", "hog_busy=30,hog_every=40")

    std.nec().send(0x12, 0x34, at=100)                 # standard frame
    std.nec().send(0x1234, 0x56, at=500)               # extended: refused
    ext.nec().send(0x5583, 0x90, at=100, repeats=2)    # extended, key held
    ext.nec().send(0x07, 0x08, at=600)                 # 8-bit frames still fine
    # The hog is busy [40k, 40k + 30) ms.  The leader at 1010 lands inside
    # busy [1000, 1030): the decoder wakes at 1030, sleeps to 1010 + 73 =
    # 1083, inside busy [1080, 1110): it decodes at 1110, 27 ms late, right.
    hog.nec().send(0x21, 0x43, at=1010)
    sim.run_until(1500)

    r = sim.expect("note:ir", at=100 + BLOCK, board=0)
    assert (r.arg, r.arg2) == (0x12, 0x34)
    assert sim.expect("note:ir_error", at=500 + BLOCK, board=0).sarg == NEC_BADADDR
    r = sim.expect("note:ir", at=100 + BLOCK_EXT, board=1)
    assert (r.arg, r.arg2) == (0x5583, 0x90)
    for k in (1, 2):                                   # repeats at 108 ms steps
        r = sim.expect("note:ir_repeat", at=100 + 108 * k + BLOCK_EXT, board=1)
        assert (r.arg, r.arg2) == (0x5583, 0x90)
    r = sim.expect("note:ir", at=600 + BLOCK_EXT, board=1)
    assert (r.arg, r.arg2) == (0x07, 0x08)
    r = sim.expect("note:ir", at=1110, board=2)
    assert (r.arg, r.arg2) == (0x21, 0x43)
    assert hog.probe("errors") == 0 and ext.probe("errors") == 0

    noise(ctx)
    captures(ctx)


def frame_durations(addr, cmd, leader=9000):
    raw = addr | (~addr & 0xFF) << 8 | cmd << 16 | (~cmd & 0xFF) << 24
    d = [leader, 4500]
    for b in range(32):
        d += [562, 1687 if raw >> b & 1 else 562]
    return d + [562]


def edges_at(t_us, durations):
    """(t_ms, level) edges of marks and spaces from t_us, a mark first."""
    out, level = [], 0
    for d in durations:
        out.append((t_us / 1000, level))
        t_us += d
        level = 1 - level
    out.append((t_us / 1000, level))
    return out


def noise(ctx):
    sim = ctx.sim()
    app = sim.board("noisy").app("ir")
    edges, frames = [], []
    for k, after in enumerate((20, 40, 60)):
        t0 = 100_000 + 300_000 * k                 # us
        edges += edges_at(t0, [300])               # 300 us of noise
        edges += edges_at(t0 + after * 1000, frame_durations(0x12, 0x40 + k))
        frames.append(((t0 + after * 1000) / 1000, 0x40 + k))
    edges += edges_at(1_100_000, frame_durations(0x07, 0x02, leader=4500))
    app.pin("ir").edges(edges)
    sim.run_until(1400)
    for t, cmd in frames:
        assert sim.expect("note:ir_error", at=t).sarg == NEC_BADLEADER
        r = sim.expect("note:ir", at=t + BLOCK)
        assert (r.arg, r.arg2) == (0x12, cmd)
    assert sim.expect("note:ir_error", at=1100 + 9.0).sarg == NEC_BADLEADER
    sim.expect("note:ir", count=3)
    sim.expect("note:ir_error", count=4)
    ctx.log(f"nec: noise 20/40/60 ms before a frame and a 4.5 ms leader: "
            f"{app.probe('frames')} frames, {app.probe('errors')} errors")


def captures(ctx):
    with open(os.path.join(ctx.data, "ir", "index.json")) as f:
        index = [e for e in json.load(f) if e.get("status") == "nec"]
    assert len(index) == 20, f"tests/data/ir/index.json: {len(index)} NEC captures, want 20"
    sim = ctx.sim()
    app = sim.board("replay").app("ir", "extended=1")
    pin = app.pin("ir")
    t0, expected, repeats = 100.0, [], []
    for e in index:
        pin.replay(os.path.join(ctx.data, "ir", e["mode2"]), at=t0)
        capture = read_mode2(os.path.join(ctx.data, "ir", e["mode2"]))
        for fr in e["frames"]:
            expected.append((t0 + due_ms(capture, fr["t_us"], BLOCK_EXT), fr,
                             e["mode2"]))
        repeats += [t0 + t_us / 1000 + BLOCK_EXT for t_us in e["repeat_t_us"]]
        t0 += 1000.0                                   # one capture a second
    sim.run_until(t0)
    for t, fr, name in expected:
        r = sim.expect("note:ir", at=t)
        assert (r.arg, r.arg2) == (fr["address"], fr["command"]), (name, r)
    sim.expect("note:ir", count=len(expected))
    for t in repeats:                                  # held keys, same rule
        sim.expect("note:ir_repeat", at=t)
    sim.expect("note:ir_repeat", count=len(repeats))
    assert app.probe("errors") == 0
    ctx.log(f"nec: {len(index)} real captures, {len(expected)} frames decoded "
            f"at their exact times, {app.probe('repeats')} repeats, "
            f"{app.probe('errors')} errors")
