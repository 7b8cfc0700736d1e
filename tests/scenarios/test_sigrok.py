#!/usr/bin/env python3
"""The demo's trace.vcd read by sigrok-cli (issue 16), TAP.

A VCD we write is read by other tools; sigrok's decoders must see in it
exactly what the simulator traced: every UART byte, every I2C transaction
(a STOP and the next START must not fall on the same instant: the I2C
model keeps the bus free time) and every NEC frame, with no warning from
the VCD reader (timestamps never go backwards, no name declared twice).
The decoder cases are skipped when sigrok-cli is not installed (tools/sim
installs it); the VCD's own checks run anyway.

    test_sigrok.py RUNNER_PY
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

RUNNER = sys.argv[1]
ROOT = os.environ.get("UASYNC_ROOT") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
HANG_GUARD = 300
results = []


def case(name, ok, detail=""):
    results.append((name, bool(ok), detail))


def finish():
    print(f"1..{len(results)}")
    for i, (name, ok, detail) in enumerate(results, 1):
        if ok is None:
            print(f"ok {i} - {name} # SKIP sigrok-cli is not installed")
            continue
        print(f"{'ok' if ok else 'not ok'} {i} - {name}")
        if not ok:
            print("# " + str(detail).strip()[-3000:].replace("\n", "\n# "))
    sys.exit(0)


HAVE_SIGROK = shutil.which("sigrok-cli") is not None


def sigrok_case(name, ok, detail=""):
    """A case that needs sigrok-cli: skipped without it."""
    results.append((name, bool(ok) if HAVE_SIGROK else None, detail))

out = tempfile.mkdtemp(prefix="uasync-sigrok-")
r = subprocess.run([sys.executable, RUNNER, "--quiet", "--out", out,
                    os.path.join(ROOT, "scenarios", "demo.py")],
                   capture_output=True, text=True, timeout=HANG_GUARD)
case("the demo runs", r.returncode == 0, r.stdout + r.stderr)
vcd = os.path.join(out, "demo", "trace.vcd")
if r.returncode != 0:
    finish()
with open(os.path.join(out, "demo", "trace.txt")) as f:
    trace = [l.split() for l in f if not l.startswith("#")]


def decode(*args):
    if not HAVE_SIGROK:
        return 0, [], ""
    p = subprocess.run(["sigrok-cli", "-I", "vcd", "-i", vcd] + list(args),
                       capture_output=True, text=True, timeout=HANG_GUARD)
    return p.returncode, [l.split(": ", 1)[1] for l in p.stdout.splitlines()
                          if ": " in l], p.stderr


# The VCD reader itself: no warning, each name once.
rc, _, err = decode("--show")
sigrok_case("sigrok reads trace.vcd without a warning", rc == 0 and err.strip() == "", err)
with open(vcd) as f:
    names = re.findall(r"^\$var wire 1 \S+ (\S+) \$end", f.read(), re.M)
case("no signal name is declared twice", len(names) == len(set(names)),
     sorted(n for n in names if names.count(n) > 1))
with open(vcd) as f:
    stamps = [int(l[1:]) for l in f if l.startswith("#")]
case("timestamps never go backwards", stamps == sorted(stamps),
     [(a, b) for a, b in zip(stamps, stamps[1:]) if b < a][:5])

# UART: every byte the GPS sent, in order.
want = [int(t[4], 16) for t in trace if t[1] == "uart_rx" and t[3] == "uart0"]
rc, ann, err = decode("-P", "uart:rx=uart0_rx:baudrate=9600", "-A", "uart=rx-data")
got = [int(a, 16) for a in ann]
sigrok_case(f"uart: all {len(want)} bytes decoded, in order, no warning",
     len(want) > 1000 and got == want and err.strip() == "",
     f"{len(got)} decoded, first difference at "
     f"{next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))}"
     f"\n{err}")

# I2C: every transaction, each START (first or repeated) and STOP.
starts = sum(1 for t in trace if t[1] == "i2c_start")
stops = sum(1 for t in trace if t[1] == "i2c_stop")
rc, ann, err = decode("-P", "i2c:scl=i2c0_scl:sda=i2c0_sda", "-A",
                      "i2c=start:repeat-start:stop:address-read:address-write")
got_start = sum(1 for a in ann if a in ("Start", "Start repeat"))
got_stop = sum(1 for a in ann if a == "Stop")
got_addr = [a for a in ann if a.startswith("Address")]
want_addr = [("Address read: " if t[5] == "r" else "Address write: ") + t[4][7:].upper()
             for t in trace if t[1] == "i2c_start"]
sigrok_case(f"i2c: {stops} transactions, {starts} STARTs and {stops} STOPs decoded",
     stops >= 40 and (got_start, got_stop) == (starts, stops) and err.strip() == "",
     f"decoded {got_start} starts, {got_stop} stops\n{err}")
sigrok_case("i2c: every address byte decoded with its direction", got_addr == want_addr,
     f"{got_addr[:6]} vs {want_addr[:6]}")

# NEC: every frame's address and command.
want = [(int(t[4][5:], 16), int(t[5][4:], 16)) for t in trace if t[1] == "nec_frame"]
rc, ann, err = decode("-P", "ir_nec:ir=ir")
addr = [int(a.split(": ")[1], 16) for a in ann if a.startswith("Address: ")]
cmd = [int(a.split(": ")[1], 16) for a in ann if a.startswith("Command: ")]
sigrok_case(f"nec: all {len(want)} frames decoded (address, command), no warning",
     len(want) >= 2 and list(zip(addr, cmd)) == want and err.strip() == "",
     f"{list(zip(addr, cmd))} vs {want}\n{err}")

# Three boards with the same pin and task names (nec.py): each declared
# once, under a name of its own, and read without a warning.
r = subprocess.run([sys.executable, RUNNER, "--quiet", "--out", out,
                    os.path.join(ROOT, "scenarios", "nec.py")],
                   capture_output=True, text=True, timeout=HANG_GUARD)
vcd = os.path.join(out, "nec", "trace.vcd")
rc, _, err = decode("--show")
with open(vcd) as f:
    names = re.findall(r"^\$var wire 1 \S+ (\S+) \$end", f.read(), re.M)
case("three boards: every name once, each board's ir pin its own",
     r.returncode == 0 and len(names) == len(set(names))
     and {"ir", "ext_ir", "hog_ir"} <= set(names), f"{names}\n{r.stdout}")
sigrok_case("three boards: sigrok reads the VCD without a warning",
            rc == 0 and err.strip() == "", err)
finish()
