"""Measures the costs behind the simulation's default machine profile, in this CPython.

    python3 tests/cpython/measure_costs.py

Prints one `name value` line per cost; each is the median of several tries.
"""
import asyncio
import multiprocessing as mp
import os
import statistics
import threading
import time


def median_of(fn, tries=5):
    return statistics.median(fn() for _ in range(tries))


def loop_iteration():
    n = 2_000_000
    t = time.perf_counter()
    sum(i * i for i in range(n))
    return (time.perf_counter() - t) / n


def thread_start():
    n = 200
    threads = [threading.Thread(target=lambda: None) for _ in range(n)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    took = time.perf_counter() - t
    for th in threads:
        th.join()
    return took / n


def process_start():
    ctx = mp.get_context("fork")
    n = 40
    procs = [ctx.Process(target=time.sleep, args=(0.2,)) for _ in range(n)]
    t = time.perf_counter()
    for p in procs:
        p.start()
    took = time.perf_counter() - t
    for p in procs:
        p.join()
    return took / n


def private_kib(pid):
    """Memory a process owns alone (Private_Clean + Private_Dirty), in KiB."""
    total = 0
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith(("Private_Clean", "Private_Dirty")):
                total += int(line.split()[1])
    return total


def rss_kib(pid="self"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1])


def process_memory():
    ctx = mp.get_context("fork")
    p = ctx.Process(target=time.sleep, args=(1.0,))
    p.start()
    time.sleep(0.5)
    kib = private_kib(p.pid)
    p.join()
    return kib * 1024


def thread_memory():
    n = 200
    stop = threading.Event()
    before = rss_kib()
    threads = [threading.Thread(target=stop.wait) for _ in range(n)]
    for th in threads:
        th.start()
    after = rss_kib()
    stop.set()
    for th in threads:
        th.join()
    return (after - before) * 1024 / n


def task_step():
    async def nothing():
        await asyncio.sleep(0)

    async def main(n):
        t = time.perf_counter()
        await asyncio.gather(*(nothing() for _ in range(n)))
        return time.perf_counter() - t

    n = 20_000
    # each task: created, started, resumed after sleep(0), finished: count it as 2 steps
    return asyncio.run(main(n)) / (2 * n)


if __name__ == "__main__":
    print("loop_iteration_s", median_of(loop_iteration))
    print("thread_start_s", median_of(thread_start))
    print("process_start_s", median_of(process_start, 3))
    print("task_step_s", median_of(task_step))
    print("base_memory_bytes", rss_kib() * 1024)
    print("thread_memory_bytes", median_of(thread_memory, 3))
    print("process_memory_bytes", median_of(process_memory, 3))
    print("cores", os.cpu_count())
