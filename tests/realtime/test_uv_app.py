#!/usr/bin/env python3
"""uasync-uv: firmware on the pure libuv port, fed like a person would (TAP).

The button is pressed and released through stdin commands, and NMEA is
written into the GPS UART's pseudo-terminal (and, in a second run, into its
TCP socket on 127.0.0.1), as a GPS log replayer would.  Checked: the events
come in order and the fix decoded is the one sent.  No wall-clock limits.
"""
import os
import re
import socket
import subprocess
import sys
import time
import tty

EXE = sys.argv[1]
results = []


def nmea(body):
    c = 0
    for ch in body.encode():
        c ^= ch
    return f"${body}*{c:02X}\r\n".encode()


RMC = nmea("GPRMC,120000.00,A,5128.67400,N,00000.08400,W,2.7,45.0,010324,,,A")


def start(args):
    p = subprocess.Popen([EXE, "--duration", "2500"] + args, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    first = p.stdout.readline()
    m = re.search(r"GPS UART on (\S+);", first)
    return p, (m.group(1) if m else None), first


# 1. pty: the button through stdin, NMEA through the pty's slave side.
p, path, first = start([])
ok_path = path is not None and path.startswith("/dev/")
if ok_path:
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    os.write(fd, RMC)
p.stdin.write("pin 0 0\n")
p.stdin.flush()
time.sleep(0.3)
p.stdin.write("pin 0 1\n")
p.stdin.flush()
out = p.communicate(timeout=60)[0]
if ok_path:
    os.close(fd)
events = [l.split()[2] for l in out.splitlines() if re.match(r"\s*[\d.]+ ms  ", l)]
results.append(("pty path printed", ok_path, first))
results.append(("press before release, from stdin pin commands",
                "press" in events and "release" in events
                and events.index("press") < events.index("release"), out))
results.append(("NMEA written to the pty decoded as a fix",
                re.search(r"fix 51\.4779\d -0\.0014\d", out) is not None, out))

# 2. TCP on the loopback: the same sentence through a socket.
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
p, path, first = start(["--tcp", str(port)])
try:
    c = socket.create_connection(("127.0.0.1", port), timeout=10)
    c.sendall(RMC)
    sent = True
except OSError as e:
    sent, first = False, first + str(e)
out = p.communicate(timeout=60)[0]
if sent:
    c.close()
results.append(("TCP UART listens on 127.0.0.1 and decodes the fix",
                sent and path == f"127.0.0.1:{port}"
                and re.search(r"fix 51\.4779\d -0\.0014\d", out) is not None,
                first + out))

print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        print("# " + detail.replace("\n", "\n# "))
sys.exit(0 if all(r[1] for r in results) else 1)
