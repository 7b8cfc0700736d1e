#!/usr/bin/env python3
"""Check that the documentation quotes its examples verbatim.

Every C or Python code block in docs/**/*.md must come right after an
include marker naming the file it quotes (relative to the Markdown file):

    <!-- include: examples/hello.c -->          the whole file
    <!-- include: examples/isr.c#driver -->    lines between the markers
                                                [doc:driver] and [/doc:driver]

and be identical to that file (or region); lines carrying region markers
are left out of the quote.  The quoted files are compiled and run by
tests/docs/meson.build, so a tutorial that compiles in the test suite is a
tutorial whose examples work.  Also checked: every docs/examples/*.c is
quoted somewhere.  Output is TAP, one case per Markdown file.

    check_docs.py DOCS_DIR          check
    check_docs.py DOCS_DIR --fix    rewrite the quoted blocks from the files
"""
import os
import re
import sys

MARKER = re.compile(r"^<!-- include: (\S+?)(?:#(\w+))? -->\s*$")
FENCE = re.compile(r"^```(\w*)\s*$")
NEEDS_INCLUDE = {"c", "python", "py"}
REGION = re.compile(r"\[/?doc:\w+\]")


def quote(path, region):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if region is None:
        return [l for l in lines if not REGION.search(l)]
    begin, end = f"[doc:{region}]", f"[/doc:{region}]"
    out, inside, found = [], False, False
    for l in lines:
        if end in l:
            inside = False
        elif begin in l:
            inside, found = True, True
        elif inside and not REGION.search(l):
            out.append(l)
    if not found:
        raise ValueError(f"no region [doc:{region}] in {path}")
    return out


def check_file(md, fix, quoted):
    """Returns a list of problems (and rewrites md when fix)."""
    problems = []
    with open(md, encoding="utf-8") as f:
        lines = f.read().splitlines()
    out, i, pending = [], 0, None
    while i < len(lines):
        line = lines[i]
        m = MARKER.match(line)
        if m:
            pending = (m.group(1), m.group(2), i + 1)
            out.append(line)
            i += 1
            continue
        f_open = FENCE.match(line)
        if f_open is None:
            if line.strip():
                pending = None
            out.append(line)
            i += 1
            continue
        lang = f_open.group(1)
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        body = lines[i + 1:j]
        if pending is not None:
            rel, region, at = pending
            path = os.path.normpath(os.path.join(os.path.dirname(md), rel))
            try:
                want = quote(path, region)
            except (OSError, ValueError) as e:
                problems.append(f"{md}:{at}: {e}")
                want = body
            quoted.add(path)
            if body != want:
                problems.append(f"{md}:{i + 1}: block differs from {rel}"
                                + (f"#{region}" if region else ""))
            body = want
        elif lang in NEEDS_INCLUDE:
            problems.append(f"{md}:{i + 1}: {lang} block without an include "
                            "marker (untested code)")
        out.append(line)
        out.extend(body)
        if j < len(lines):
            out.append(lines[j])
        i = j + 1
        pending = None
    if fix:
        with open(md, "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
    return problems


def main():
    docs = sys.argv[1]
    fix = "--fix" in sys.argv[2:]
    mds = []
    for root, _, files in os.walk(docs):
        mds += [os.path.join(root, f) for f in sorted(files) if f.endswith(".md")]
    mds.sort()
    quoted = set()
    results = [(os.path.relpath(md, docs), check_file(md, fix, quoted))
               for md in mds]
    ex_dir = os.path.join(docs, "examples")
    examples = sorted(os.path.normpath(os.path.join(ex_dir, f))
                      for f in os.listdir(ex_dir) if f.endswith(".c"))
    unquoted = [f"{e}: example never quoted" for e in examples
                if e not in quoted]
    results.append(("every example is quoted", unquoted))
    print(f"1..{len(results)}")
    failed = 0
    for n, (name, problems) in enumerate(results, 1):
        if problems and not fix:
            failed += 1
            print(f"not ok {n} - {name}")
            for p in problems:
                print(f"# {p}")
        else:
            print(f"ok {n} - {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
