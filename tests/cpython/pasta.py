"""The pasta kitchen in real CPython, scaled down, to check the simulation against.

Each order: boil pasta (sleep BOIL s), chop veggies and prepare sauce (each the sum of squares
over range(N)). Prints "<seconds since start>\t<who>\t<text>" so runs can be compared.

    python3 tests/cpython/pasta.py MODE [--boil S] [--n N] [--orders K]

MODE: asyncio-blocking, asyncio-to-thread, threads, processes,
      thousand-asyncio, thousand-threads, thousand-processes
"""
import argparse
import asyncio
import multiprocessing as mp
import resource
import sys
import threading
import time

START = time.perf_counter()


def say(text):
    print(f"{time.perf_counter() - START:.4f}\t{text}", flush=True)


def cpu_step(n):
    return sum(i * i for i in range(n))


def chop(order, n):
    cpu_step(n)
    say(f"order {order}: veggies chopped")


def sauce(order, n):
    cpu_step(n)
    say(f"order {order}: sauce ready")


def boil(order, boil_s):
    time.sleep(boil_s)
    say(f"order {order}: pasta ready")


async def order_blocking(order, boil_s, n):
    await asyncio.sleep(boil_s)
    say(f"order {order}: pasta ready")
    chop(order, n)
    sauce(order, n)


async def order_to_thread(order, boil_s, n):
    await asyncio.sleep(boil_s)
    say(f"order {order}: pasta ready")
    await asyncio.to_thread(chop, order, n)
    await asyncio.to_thread(sauce, order, n)


async def only_boil(order, boil_s):
    await asyncio.sleep(boil_s)


def run_workers(kind, orders, boil_s, n, cpu=True):
    workers = []
    for o in range(1, orders + 1):
        steps = [(boil, (o, boil_s))]
        if cpu:
            steps += [(chop, (o, n)), (sauce, (o, n))]
        for fn, args in steps:
            workers.append(kind(target=fn if cpu else time.sleep, args=args if cpu else (boil_s,)))
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    say(f"all {len(workers)} started in {time.perf_counter() - t0:.4f} s")
    for w in workers:
        w.join()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode")
    p.add_argument("--boil", type=float, default=0.5)
    p.add_argument("--n", type=int, default=10**6)
    p.add_argument("--orders", type=int, default=3)
    a = p.parse_args()
    say(f"one cpu step alone: {timed(cpu_step, a.n):.4f} s")
    global START
    START = time.perf_counter()
    if a.mode == "asyncio-blocking":
        asyncio.run(gather_all(order_blocking, a))
    elif a.mode == "asyncio-to-thread":
        asyncio.run(gather_all(order_to_thread, a))
    elif a.mode == "threads":
        run_workers(threading.Thread, a.orders, a.boil, a.n)
    elif a.mode == "processes":
        run_workers(mp.get_context("fork").Process, a.orders, a.boil, a.n)
    elif a.mode == "thousand-asyncio":
        asyncio.run(gather_boils(a))
    elif a.mode == "thousand-threads":
        run_workers(threading.Thread, 1000, a.boil, a.n, cpu=False)
    elif a.mode == "thousand-processes":
        run_workers(mp.get_context("fork").Process, 1000, a.boil, a.n, cpu=False)
    else:
        sys.exit(f"unknown mode {a.mode}")
    ru = resource.getrusage(resource.RUSAGE_SELF)
    say(f"done; parent max RSS {ru.ru_maxrss / 1024:.1f} MiB")


def timed(fn, *args):
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


async def gather_all(order_fn, a):
    await asyncio.gather(*(order_fn(o, a.boil, a.n) for o in range(1, a.orders + 1)))


async def gather_boils(a):
    await asyncio.gather(*(only_boil(o, a.boil) for o in range(1000)))


if __name__ == "__main__":
    main()
