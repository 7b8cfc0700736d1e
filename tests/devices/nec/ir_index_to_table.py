#!/usr/bin/env python3
"""Turn ir/index.json (sigrok's reading of each capture) into a plain table
that the C test reads, one record per line:

    capture <mode2 file> <vcd file> <extended 0/1>
    frame <t_us> <address> <command> <extended 0/1>
    repeat <t_us>

The data is in the repository (tests/data/ir): a missing index.json is an
error (the build step fails), never a reason to skip the test.
Usage: ir_index_to_table.py <index.json> <output>
"""
import json
import sys


def main(index, out):
    lines = []
    with open(index, encoding="utf-8") as f:
        entries = json.load(f)
    for e in entries:
        ext = any(fr["extended"] for fr in e["frames"])
        lines.append(f"capture {e['mode2']} {e['vcd']} {int(ext)}")
        for fr in e["frames"]:
            lines.append(f"frame {fr['t_us']} {fr['address']} "
                         f"{fr['command']} {int(fr['extended'])}")
        for t in e["repeat_t_us"]:
            lines.append(f"repeat {t}")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
