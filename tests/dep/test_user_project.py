#!/usr/bin/env python3
"""uasync as a dependency, proved from outside the tree (issue 20).

Copies examples/thermostat to a temporary folder outside this repository
and, there:
  1. installs uasync (-Ddev=false) staged with DESTDIR, builds the example
     against it through PKG_CONFIG_PATH (+ PKG_CONFIG_SYSROOT_DIR for the
     staging) and runs its scenarios with the installed `uasync-sim`;
  2. copies uasync into the example's subprojects/ and does the same with
     build/subprojects/uasync/uasync-sim;
  3. cross-builds the example for Cortex-M4F (cross/cortex-m4f.ini) with
     uasync as a subproject, and checks the image has no heap;
  4. checks the one-line errors: a library that is not a uasync simulator
     library, one that speaks another interface version, an app that is not
     in the library.
No file of uasync's apps/ or scenarios/ is touched.  Prints each step's
wall time.  Exit status 0 when everything passed.

    test_user_project.py UASYNC_SOURCE_DIR [--keep]
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

FAILS = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        FAILS.append(what)
    return ok


def run(cmd, cwd=None, env=None, fails=False):
    """Run cmd; its output is shown if it fails unexpectedly."""
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if r.returncode != 0 and not fails:
        print(f"$ {' '.join(cmd)}  (in {cwd})\n{r.stdout[-3000:]}{r.stderr[-3000:]}",
              flush=True)
    return r


def copy_uasync(src, dst):
    """The source tree without build trees, outputs, examples or git data."""
    top = os.path.abspath(src)

    def ignore(folder, names):
        skip = {"__pycache__", ".git"}
        if os.path.abspath(folder) == top:
            skip |= {n for n in names if n.startswith("build") or n in ("out", "examples")}
        return skip & set(names) | {n for n in names if n in skip}
    shutil.copytree(src, dst, ignore=ignore, symlinks=True)


def scenarios_pass(front_end, lib, project, out):
    scen = sorted(glob.glob(os.path.join(project, "scenarios", "*.py")))
    r = run([sys.executable, front_end, "run", "--lib", lib, "--out", out] + scen,
            cwd=project)
    last = (r.stdout.strip().splitlines() or [""])[-1]
    return check(r.returncode == 0 and last == f"{len(scen)} passed, 0 failed",
                 f"{os.path.relpath(front_end, project)}: scenarios: {last!r}")


def step(name, t0):
    print(f"      {name}: {time.monotonic() - t0:.1f} s wall", flush=True)


def main():
    src = os.path.abspath(sys.argv[1])
    keep = "--keep" in sys.argv
    example = os.path.join(src, "examples", "thermostat")
    tmp = tempfile.mkdtemp(prefix="uasync-dep-")
    check(not os.path.abspath(tmp).startswith(src + os.sep), f"working outside the tree: {tmp}")
    env = dict(os.environ)
    for k in ("UASYNC_SIM_LIB", "UASYNC_ROOT", "UASYNC_BUILD", "PYTHONPATH",
              "PKG_CONFIG_PATH", "PKG_CONFIG_SYSROOT_DIR"):
        env.pop(k, None)
    try:
        # 1. Installed, staged with DESTDIR.
        t0 = time.monotonic()
        prefix, stage = "/opt/uasync-test", os.path.join(tmp, "stage")
        ub = os.path.join(tmp, "uasync-build")
        ok = run(["meson", "setup", ub, src, "--prefix", prefix, "-Ddev=false"],
                 env=env).returncode == 0
        ok = ok and run(["meson", "install", "-C", ub, "--destdir", stage],
                        env=env).returncode == 0
        check(ok, "meson install of uasync (-Ddev=false, DESTDIR)")
        root = stage + prefix
        pcs = glob.glob(os.path.join(root, "lib*", "**", "uasync-sim.pc"), recursive=True)
        check(len(pcs) == 1, "uasync-sim.pc installed")
        check(os.path.isfile(os.path.join(root, "include", "uasync", "sim_app.h")),
              "sim_app.h installed in include/uasync")
        front = os.path.join(root, "bin", "uasync-sim")
        check(os.access(front, os.X_OK), "uasync-sim installed as a command")
        step("install", t0)

        t0 = time.monotonic()
        proj = os.path.join(tmp, "thermostat-installed")
        shutil.copytree(example, proj)
        penv = dict(env, PKG_CONFIG_PATH=os.path.dirname(pcs[0]) if pcs else "",
                    PKG_CONFIG_SYSROOT_DIR=stage)
        ok = run(["meson", "setup", "build"], cwd=proj, env=penv).returncode == 0
        ok = ok and run(["ninja", "-C", "build"], cwd=proj, env=penv).returncode == 0
        lib = os.path.join(proj, "build", "libthermostat_sim.so")
        if check(ok and os.path.isfile(lib), "example built against the installed uasync"):
            scenarios_pass(front, lib, proj, os.path.join(tmp, "out-installed"))
            r = run([front, "apps", "--lib", lib], cwd=proj, env=env)
            check(r.returncode == 0 and r.stdout.split()[:1] == ["thermostat"],
                  f"uasync-sim apps lists the user's app: {r.stdout.strip()!r}")
        step("installed: example and scenarios", t0)

        # 4. Bad input, against the installed front end.
        t0 = time.monotonic()
        libc = run([sys.executable, "-c", "import ctypes.util; print(ctypes.util.find_library('c'))"]).stdout.strip()
        r = run([front, "run", "--lib", os.path.join("/lib/x86_64-linux-gnu", libc)
                 if not os.path.isabs(libc) else libc, "scenarios/heating.py"], cwd=proj, env=env, fails=True)
        err = r.stderr.strip()
        check(r.returncode != 0 and len(err.splitlines()) == 1
              and "is not a uasync simulator library" in err, f"libc refused: {err!r}")
        fake_c = os.path.join(tmp, "fake.c")
        with open(fake_c, "w") as f:
            f.write("unsigned sim_abi_version(void) { return 99; }\n")
        fake = os.path.join(tmp, "libfake.so")
        run(["cc", "-shared", "-fPIC", "-o", fake, fake_c])
        r = run([front, "run", "--lib", fake, "scenarios/heating.py"], cwd=proj, env=env, fails=True)
        err = r.stderr.strip()
        check(r.returncode != 0 and len(err.splitlines()) == 1
              and "speaks simulator interface 99, this package speaks 1" in err,
              f"another interface version refused: {err!r}")
        r = run([front, "run", "--lib", os.path.join(tmp, "none.so"), "x.py"], cwd=proj, env=env, fails=True)
        check(r.returncode != 0 and "no such file" in r.stderr,
              f"a missing library refused: {r.stderr.strip()!r}")
        bad = os.path.join(proj, "scenarios_bad")
        os.makedirs(bad)
        with open(os.path.join(bad, "noapp.py"), "w") as f:
            f.write('"""Starts an app the library does not have."""\n\n\n'
                    'def scenario(ctx):\n    ctx.sim().board("b0").app("thermostatt")\n')
        r = run([front, "run", "--lib", lib, "--out", os.path.join(tmp, "out-bad"),
                 "scenarios_bad/noapp.py"], cwd=proj, env=env, fails=True)
        check(r.returncode != 0 and "no app named 'thermostatt' (apps: thermostat)"
              in r.stdout + r.stderr, "an app not in the library is named with the apps it has")
        step("bad input", t0)

        # 2. As a subproject.
        t0 = time.monotonic()
        proj = os.path.join(tmp, "thermostat-subproject")
        shutil.copytree(example, proj)
        copy_uasync(src, os.path.join(proj, "subprojects", "uasync"))
        ok = run(["meson", "setup", "build"], cwd=proj, env=env).returncode == 0
        ok = ok and run(["ninja", "-C", "build"], cwd=proj, env=env).returncode == 0
        lib = os.path.join(proj, "build", "libthermostat_sim.so")
        if check(ok and os.path.isfile(lib), "example built with uasync as a subproject"):
            check(not os.path.exists(os.path.join(proj, "build", "subprojects", "uasync",
                                                  "tests")),
                  "the subproject builds none of uasync's tests")
            scenarios_pass(os.path.join(proj, "build", "subprojects", "uasync", "uasync-sim"),
                           lib, proj, os.path.join(tmp, "out-subproject"))
        step("subproject: example and scenarios", t0)

        # 3. Cross build of the board image, uasync as a subproject.
        t0 = time.monotonic()
        if shutil.which("arm-none-eabi-gcc") is None:
            print("skip  no arm-none-eabi-gcc: the Cortex-M4F build is not tried")
        else:
            cross = os.path.join(proj, "subprojects", "uasync", "cross", "cortex-m4f.ini")
            ok = run(["meson", "setup", "build-m4f", "--cross-file", cross],
                     cwd=proj, env=env).returncode == 0
            ok = ok and run(["ninja", "-C", "build-m4f"], cwd=proj, env=env).returncode == 0
            elf = os.path.join(proj, "build-m4f", "thermostat.elf")
            if check(ok and os.path.isfile(elf), "Cortex-M4F image linked (subproject)"):
                syms = run(["arm-none-eabi-nm", elf]).stdout.split()
                heap = sorted({"malloc", "_malloc_r", "free", "calloc", "realloc",
                               "_sbrk"} & set(syms))
                check(not heap, f"the image has no heap (found: {heap or 'none'})")
                check("thermostat_start" in syms and "ua_loop_run_forever" in syms,
                      "the image holds the firmware and the core")
        step("cross build", t0)
    finally:
        if keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'FAILED: ' + str(len(FAILS)) if FAILS else 'all passed'}")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
