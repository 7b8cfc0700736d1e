"""Reference demo: three tasks on one scheduler, a timeout and a prompt cancel.

Until the simulated board lands this runs the core demo (tools/demo/core_demo.c)
on the virtual-clock port and checks its schedule to the microsecond.
"""
import os
import subprocess


def scenario(ctx):
    trace = ctx.out("trace.txt")
    exe = os.path.join(ctx.build, "tools", "demo", "core_demo")
    out = subprocess.run([exe, trace], capture_output=True, text=True, check=True).stdout
    ctx.log(out, end="")
    lines = out.splitlines()
    assert "300000 us  worker: wait -> UA_OK" in lines[2], lines[2]
    assert any("1010000 us  blinker: cleanup after UA_ECANCELLED" in l for l in lines)
    ctx.log(f"timeline files: {os.path.relpath(trace)}")
