#!/usr/bin/env python3
"""The layering contract, checked: nothing outside core/ uses a `ua__` name
or a private field of the core's structs (see core/ua_driver.h and
../shared/DESIGN.md).  White-box tests of the core itself (tests/core/) may.

Private fields are matched by the accesses that can only mean the core's
structs (a task's scheduler state, a loop's lists, a flag's registration,
a primitive's wait queue), so a field of the same name in another struct
(a timeline lane's `where`) does not trip it.

Exits 1 listing file:line for each use; prints TAP.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCAN = ["devices", "sim", "apps", "tools", "tests", "scenarios", "boards", "examples"]
EXEMPT = [os.path.join("tests", "core")]
PATTERNS = [
    (re.compile(r"\bua__\w+"), "a core-private ua__ name"),
    (re.compile(r"\b(self|task|t)->(where|wake|cancel|phase|started|in_heap)\b"),
     "a private field of ua_task_t"),
    (re.compile(r"\btask\.(where|wake|cancel|phase)\b"), "a private field of ua_task_t"),
    (re.compile(r"\b\w*loop(->|\.)(current|ready|io_ready|timers|flags|isr_pending|unhandled)\b"),
     "a private field of ua_loop_t"),
    (re.compile(r"\bisr_pending\b|\bnext_registered\b"), "a private field of the loop or a flag"),
    (re.compile(r"\bwaiters\.head\b|\bgetters\.head\b|\bputters\.head\b"),
     "a primitive's private wait queue"),
]
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def strip_comments(text):
    # keep line numbers: replace each comment by as many newlines
    return COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def main():
    problems = []
    for top in SCAN:
        for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
            rel_dir = os.path.relpath(dirpath, ROOT)
            if any(rel_dir == e or rel_dir.startswith(e + os.sep) for e in EXEMPT):
                continue
            for name in files:
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = strip_comments(f.read())
                for lineno, line in enumerate(text.splitlines(), 1):
                    for pat, what in PATTERNS:
                        m = pat.search(line)
                        if m:
                            problems.append(f"{os.path.relpath(path, ROOT)}:{lineno}: "
                                            f"{what}: {m.group(0)}")
    print("1..1")
    if problems:
        print("not ok 1 - layering: code outside core/ reaches into the core")
        for p in problems:
            print("# " + p)
        return 1
    print("ok 1 - layering: nothing outside core/ uses ua__ names or private fields")
    return 0


if __name__ == "__main__":
    sys.exit(main())
