#!/usr/bin/env python3
"""Write the seed corpus of the NEC fuzz target (fuzz_nec.c's input format:
a config byte, then 2-byte little-endian records: bits 0-14 the time since
the previous edge in us, bit 15 = no level change).  Run from anywhere:
    python3 tests/devices/nec/make_corpus.py
"""
import os
import struct

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
U = 562


def frame(addr, cmd, ext=False, extra=()):
    a = addr if ext else addr | (~addr & 0xFF) << 8
    raw = a | cmd << 16 | (~cmd & 0xFF) << 24
    d = [9000, 4500]
    for b in range(32):
        d += [U, 1687 if raw >> b & 1 else U]
    for bit in extra:
        d += [U, 1687 if bit else U]
    return d + [U]


def repeat(space=2250, mark=9000):
    return [mark, space, U]


def rc5(code14):
    halves = []
    for b in range(13, -1, -1):
        one = code14 >> b & 1
        halves += [1, 0] if one else [0, 1]
    while halves[0] == 1:
        halves.pop(0)
    d, i = [], 0
    while i < len(halves):
        j = i
        while j < len(halves) and halves[j] == halves[i]:
            j += 1
        d.append(889 * (j - i))
        i = j
    if halves[-1] == 1:
        d.pop()
    return d


def sirc(code12):
    d = [2400]
    for b in range(12):
        d += [600, 1200 if code12 >> b & 1 else 600]
    return d


def bursts(*parts):
    """(gap before, durations) pairs -> edge deltas, a mark first each."""
    out = []
    for gap, durs in parts:
        out.append(gap)            # the burst's first (falling) edge
        out += durs                # each duration ends with an edge
    return out


def write(name, deltas, conf=0):
    recs = []
    for d in deltas:
        while d > 0x7FFF:          # long gaps: time-only records
            recs.append(0x7FFF | 0x8000)
            d -= 0x7FFF
        recs.append(d)
    data = bytes([conf]) + b"".join(struct.pack("<H", r) for r in recs)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(HERE, exist_ok=True)
    f = frame(0x12, 0x34)
    write("frame", bursts((0, f)))
    write("frame_repeats", bursts((0, f), (108000 - 67500 - 0, repeat()),
                                  (108000 - 11812, repeat())))
    write("extended", bursts((0, frame(0x5583, 0x90, ext=True))), conf=1)
    write("long48", bursts((0, frame(0x01, 0x03, extra=[1, 1, 0, 0, 0, 0, 0, 0,
                                                        0, 0, 1, 1, 1, 1, 1, 1]))))
    write("noise_then_frame", bursts((0, [300]), (20000, f)))
    write("repeat_then_frame", bursts((0, f), (40000, repeat()), (38000, f)))
    write("sloppy_repeat", bursts((0, f), (38000, repeat(3900, 9100))))
    write("samsung", bursts((0, [4500] + f[1:])))
    write("rc5", bursts((0, rc5(0x3000 | 5 << 6 | 12)), (90000, rc5(0x3000 | 5 << 6 | 12))))
    write("sirc", bursts((0, sirc(0x95)), (20000, sirc(0x95))))
    write("wrap", bursts((0, f), (40000, repeat())), conf=2)
    g = list(f)
    g[4] = 900                     # a bad bit mark, then a frame
    write("broken_then_frame", bursts((0, g), (9000, f)))


if __name__ == "__main__":
    main()
