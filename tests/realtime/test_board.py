#!/usr/bin/env python3
"""uasync-board without a display: scripted input, then the LCD, the LEDs
and the app's probes are checked (TAP).

The runner is started with SDL_VIDEODRIVER=dummy (a real SDL window that
nobody sees) or --headless.  `expect-lcd` compares both the HD44780 model's
display RAM and the drawn pixels (every dot against the font) with the text;
the screenshot is read back here to check the backlight LED's colour.
Waits are generous and only ever give the app *more* virtual time: nothing
here depends on how fast the machine is.
"""
import os
import struct
import subprocess
import sys
import tempfile

BOARD = sys.argv[1]
LED_XY = (47, 177)          # centre of the first LED (rt_draw.c geometry)
LED_ON, LED_OFF = (0xff, 0xd2, 0x3f), (0x4a, 0x40, 0x26)

results = []


def case(name, ok, detail=""):
    results.append((name, ok, detail))


def run(args, video="dummy"):
    env = dict(os.environ)
    if video:
        env["SDL_VIDEODRIVER"] = video
    r = subprocess.run([BOARD] + args, capture_output=True, text=True,
                       timeout=120, env=env)
    return r.returncode, r.stdout + r.stderr


def bmp_pixel(path, x, y):
    d = open(path, "rb").read()
    off = struct.unpack_from("<I", d, 10)[0]
    w, h = struct.unpack_from("<ii", d, 18)
    bpp = struct.unpack_from("<H", d, 28)[0]
    stride = (w * bpp // 8 + 3) & ~3
    row = (abs(h) - 1 - y) if h > 0 else y
    p = off + row * stride + x * (bpp // 8)
    return (w, abs(h)), (d[p + 2], d[p + 1], d[p])


tmp = tempfile.mkdtemp(prefix="uasync-board-")
shot_on, shot_dim = os.path.join(tmp, "on.bmp"), os.path.join(tmp, "dim.bmp")

# 1. Click, IR key, sensor change, long press: the demo reacts to each.
script = ";".join([
    "wait 200", "expect page 0",
    "click", "wait 400", "expect page 1", "expect-lcd 0 Temp  20.00 C",
    "set temperature 2500", "wait 700", "expect-lcd 0 Temp  25.00 C",
    "expect-lcd 1 RH    50.00 %", f"screenshot {shot_on}",
    "key 0", "wait 400", "expect page 0", "expect ir_frames 1",
    "press", "wait 1300", "release", "wait 300", "expect dimmed 1",
    "expect backlight 0", f"screenshot {shot_dim}", "quit"])
rc, out = run(["--args", "climate_period=200", "--script", script])
case("scripted click, key, sensor and long press", rc == 0 and "FAIL" not in out, out)
case("LCD checked against the model and the drawn pixels",
     out.count("(model and pixels)") == 3, out)
try:
    size, on = bmp_pixel(shot_on, *LED_XY)
    _, off = bmp_pixel(shot_dim, *LED_XY)
    case("screenshot is the window (480x360)", size == (480, 360), str(size))
    case("backlight LED drawn lit, then dark after the long press",
         on == LED_ON and off == LED_OFF, f"{on} {off}")
except OSError as e:
    case("screenshot is the window (480x360)", False, str(e))
    case("backlight LED drawn lit, then dark after the long press", False, "")

# 2. A wrong expectation fails the run (the checks can fail).
rc, out = run(["--script", "wait 100;expect-lcd 0 Hello world;quit"])
case("a wrong LCD expectation fails with status 1",
     rc == 1 and "LCD pixels:" in out and "LCD model shows" in out, out)

# 3. Headless, another app, --duration ends the run by itself.
rc, out = run(["--headless", "--app", "buttons", "--duration", "300",
               "--script", "click 50"], video=None)
case("headless buttons app ends after --duration",
     rc == 0 and "button clicks 1" in out and "(no window)" in out, out)

# 4. Unknown app: a clear error, status 2.
rc, out = run(["--headless", "--app", "nope"], video=None)
case("unknown app is refused", rc == 2 and "nope" in out, out)

print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        print("# " + detail.replace("\n", "\n# "))
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
