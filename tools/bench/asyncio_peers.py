#!/usr/bin/env python3
"""CPython asyncio peers of the core benchmarks (tools/bench/bench_*.c).

Each workload mirrors its C twin line for line, counts operations the same
way (event-pingpong: one op is one round trip, two hops) and the
calibration is the same as ua_bench's: grow n until one run takes a tenth of
the target, then scale n to the target.  Only the run itself is timed, in
process CPU time (time.process_time, which is CLOCK_PROCESS_CPUTIME_ID like
ua_bench's clock), on a fresh event loop, task creation included.

    asyncio_peers.py NAME --calibrate [--target-ms MS]   -> cpython NAME n=N
    asyncio_peers.py NAME --n N     -> one warm-up run of N/10 units, then
                                       one measured run: cpython NAME X ns/op ops=M
    asyncio_peers.py NAME [--target-ms MS] [--reps N]
                                    -> calibrate, median of `reps` runs

tools/bench/run_bench.py uses the first two to interleave the peers with
ua_bench round by round.  Standard library only.
"""

import argparse
import asyncio
import selectors
import statistics
import sys
import time

RR_TASKS = 100
TIMERS = 10000
TIMER_SPAN_MS = 10000
TIMER_SEED = 0x2545F491
QUEUE_CAPACITY = 16


def timer_deadlines(count):
    """xorshift32, exactly as bench_timer_deadlines() in bench_timers.c."""
    x = TIMER_SEED
    out = []
    for _ in range(count):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out.append(1 + x % TIMER_SPAN_MS)
    return out


# --- virtual time, for the timer workloads ----------------------------------

class _VirtualSelector(selectors.DefaultSelector):
    """Waiting for `timeout` advances the loop's virtual clock instead, like
    the C side's virtual port with auto-advance (I/O is still polled)."""

    def __init__(self):
        super().__init__()
        self.now = 0.0

    def select(self, timeout=None):
        if timeout is None:
            raise RuntimeError("deadlock: nothing to wait for")
        if timeout > 0:
            self.now += timeout
        return super().select(0)


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        self._vsel = _VirtualSelector()
        super().__init__(self._vsel)

    def time(self):
        return self._vsel.now


# --- workloads: each runs n units and returns elapsed seconds ---------------

def round_robin(yields_per_task):
    async def rr_task(n):
        for _ in range(n):
            await asyncio.sleep(0)

    loop = asyncio.new_event_loop()
    try:
        t0 = time.process_time()
        tasks = [loop.create_task(rr_task(yields_per_task))
                 for _ in range(RR_TASKS)]
        # Round-robin order: the task created last finishes last.
        loop.run_until_complete(tasks[-1])
        dt = time.process_time() - t0
        assert all(t.done() for t in tasks)
        return dt
    finally:
        loop.close()


_DEADLINES = None


def _timer_rounds(rounds, start_round):
    global _DEADLINES
    if _DEADLINES is None:
        _DEADLINES = [ms / 1000.0 for ms in timer_deadlines(TIMERS)]
    total = 0.0
    for _ in range(rounds):
        loop = VirtualTimeLoop()
        try:
            state = {"remaining": TIMERS}
            t0 = time.process_time()
            start_round(loop, state)
            loop.run_forever()
            total += time.process_time() - t0
            assert state["remaining"] == 0
            assert loop.time() <= TIMER_SPAN_MS / 1000.0 + 1e-9
        finally:
            loop.close()
    return total


def timers(rounds):
    def start(loop, state):
        def timer_cb():
            state["remaining"] -= 1
            if state["remaining"] == 0:
                loop.stop()

        for d in _DEADLINES:
            loop.call_later(d, timer_cb)

    return _timer_rounds(rounds, start)


def timer_tasks(rounds):
    def start(loop, state):
        async def sleeper(d):
            await asyncio.sleep(d)
            state["remaining"] -= 1
            if state["remaining"] == 0:
                loop.stop()

        for d in _DEADLINES:
            loop.create_task(sleeper(d))

    return _timer_rounds(rounds, start)


def event_pingpong(round_trips):
    async def pinger(ping, pong):
        for _ in range(round_trips):
            ping.set()
            await pong.wait()
            pong.clear()

    async def ponger(ping, pong):
        for _ in range(round_trips):
            await ping.wait()
            ping.clear()
            pong.set()

    loop = asyncio.new_event_loop()
    try:
        asyncio.set_event_loop(loop)
        t0 = time.process_time()
        ping, pong = asyncio.Event(), asyncio.Event()
        a = loop.create_task(pinger(ping, pong))
        loop.create_task(ponger(ping, pong))
        loop.run_until_complete(a)
        return time.process_time() - t0
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def queue(items):
    async def producer(q):
        for i in range(items):
            await q.put(i)

    async def consumer(q, out):
        s = 0
        for _ in range(items):
            s += await q.get()
        out.append(s)

    loop = asyncio.new_event_loop()
    try:
        asyncio.set_event_loop(loop)
        out = []
        t0 = time.process_time()
        q = asyncio.Queue(QUEUE_CAPACITY)
        loop.create_task(producer(q))
        c = loop.create_task(consumer(q, out))
        loop.run_until_complete(c)
        dt = time.process_time() - t0
        assert out == [items * (items - 1) // 2]
        return dt
    finally:
        asyncio.set_event_loop(None)
        loop.close()


BENCHES = {
    "round-robin": (round_robin, RR_TASKS),
    "timers": (timers, TIMERS),
    "timers-tasks": (timer_tasks, TIMERS),
    "event-pingpong": (event_pingpong, 1),
    "queue": (queue, 1),
}


def calibrate(run, target_s):
    n = 1
    while True:
        t = run(n)
        if t >= target_s / 10:
            break
        n *= 10 if t < target_s / 100 else 2
    return max(1, int(n * target_s / max(t, 1e-9)))


def measure_once(run, ops_per_unit, n):
    """ns per op of one run of n units, after a warm-up run of n/10."""
    run(max(1, n // 10))
    return run(n) / (n * ops_per_unit) * 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name", choices=sorted(BENCHES))
    ap.add_argument("--target-ms", type=float, default=300)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--calibrate", action="store_true",
                    help="print the units one run of --target-ms needs")
    ap.add_argument("--n", type=int, help="measure one run of N units")
    args = ap.parse_args()
    run, ops_per_unit = BENCHES[args.name]
    if args.calibrate:
        print(f"cpython {args.name} n={calibrate(run, args.target_ms / 1000.0)}")
        return 0
    if args.n:
        ns = measure_once(run, ops_per_unit, args.n)
        print(f"cpython {args.name} {ns:.3f} ns/op ops={args.n * ops_per_unit}")
        return 0
    n = calibrate(run, args.target_ms / 1000.0)
    per_op = sorted(measure_once(run, ops_per_unit, n)
                    for _ in range(max(1, args.reps)))
    print(f"cpython {args.name} {statistics.median(per_op):.2f} ns/op "
          f"ops={n * ops_per_unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
