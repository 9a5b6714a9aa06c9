# A tour of the library as tutorials use it: logging, itertools, sys, os, time's calendar,
# threading's Event, Condition, Semaphore, Timer and local, daemon threads, queue.Queue's
# join and task_done, an executor task that raises, asyncio's TaskGroup, wait, as_completed
# and run_until_complete, and multiprocessing's Pipe, Lock, Value, Array and Pool.
# tests/python.rs runs it under python3 and under the kitchen: the printed lines must match.
# The sleeps keep every interleaving far apart, so CPython's order is the same on every run.
import asyncio
import itertools
import logging
import multiprocessing
import os
import queue
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

logging.basicConfig(stream=sys.stdout, level=logging.INFO,
                    format="%(levelname)s %(threadName)s: %(message)s")
log = logging.getLogger("kitchen")


def calendar_and_system():
    print(time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(0)))
    print(time.strftime("%a %d %b %Y, %j", time.gmtime(86400 * 400 + 3661)))
    print(time.asctime(time.gmtime(1_000_000_000)))
    print(len(time.ctime()) == 24, time.localtime().tm_year > 2000)
    print(os.getpid() > 0, os.getppid() > 0, len(os.urandom(8)))
    print(len(sys.argv), sys.argv[0].endswith(".py"))
    sys.stdout.write("written ")
    sys.stdout.write("in two parts\n")
    sys.stdout.flush()


def iterate():
    print(list(itertools.islice(itertools.count(10, 5), 4)))
    print(list(itertools.islice(itertools.cycle("ab"), 5)))
    print(list(itertools.chain([1, 2], (3,), range(4, 6))))
    print(list(itertools.zip_longest("ab", [1, 2, 3], fillvalue="-")))
    print([(k, len(list(g))) for k, g in itertools.groupby("aaabccdd")])
    print(list(itertools.accumulate([1, 2, 3, 4])), list(itertools.product("ab", repeat=2)))


def events_and_conditions():
    ready = threading.Event()
    cond = threading.Condition()
    pantry = []

    def baker():
        time.sleep(0.05)
        log.info("oven hot")
        ready.set()
        for loaf in range(3):
            time.sleep(0.02)
            with cond:
                pantry.append(loaf)
                cond.notify()

    def seller():
        ready.wait()
        log.info("shop open")
        sold = 0
        while sold < 3:
            with cond:
                cond.wait_for(lambda: pantry)
                pantry.pop(0)
                sold += 1
        log.info("sold %d loaves", sold)

    threads = [threading.Thread(target=baker, name="baker"),
               threading.Thread(target=seller, name="seller")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("event set:", ready.is_set())


def semaphores_timers_and_locals():
    burners = threading.BoundedSemaphore(2)
    cooking = []
    local = threading.local()

    def cook(i):
        local.dish = f"dish {i}"
        with burners:
            cooking.append(i)
            print("burners in use:", len(cooking))
            time.sleep(0.05 * (i + 1))
            print(threading.current_thread().name, "cooked", local.dish)
            cooking.remove(i)

    chefs = [threading.Thread(target=cook, args=(i,), name=f"chef-{i}") for i in range(3)]
    for c in chefs:
        c.start()
        time.sleep(0.01)
    for c in chefs:
        c.join()
    try:
        burners.release()
    except ValueError as e:
        print("ValueError:", e)
    timer = threading.Timer(0.05, print, args=("the timer rang",))
    timer.start()
    timer.join()
    cancelled = threading.Timer(0.05, print, args=("never",))
    cancelled.start()
    cancelled.cancel()
    print("cancelled timer alive after join:", (cancelled.join(), cancelled.is_alive())[1])


def daemons():
    def forever():
        while True:
            time.sleep(0.01)

    d = threading.Thread(target=forever, daemon=True)
    d.start()
    late = threading.Thread(target=time.sleep, args=(0.01,))
    late.daemon = True
    print("daemons:", d.daemon, late.daemon)


def queue_join():
    orders = queue.Queue()
    done = []

    def waiter():
        while True:
            order = orders.get()
            time.sleep(0.01)
            done.append(order)
            orders.task_done()

    threading.Thread(target=waiter, daemon=True).start()
    for order in range(4):
        orders.put(order)
    orders.join()
    print("all orders done:", done, orders.qsize(), orders.empty())
    try:
        orders.get(timeout=0.01)
    except queue.Empty:
        print("queue.Empty after the timeout")


def burnt(order):
    time.sleep(0.01 * order)
    if order == 2:
        raise ValueError(f"order {order} burnt")
    return order * 10


def executor_errors():
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = [pool.submit(burnt, n) for n in range(1, 4)]
        for f in as_completed(futures):
            try:
                print("result:", f.result())
            except ValueError as e:
                print("ValueError from the pool:", e)


async def course(name, seconds):
    await asyncio.sleep(seconds)
    return name


async def dinner():
    async with asyncio.TaskGroup() as tg:
        soup = tg.create_task(course("soup", 0.02))
        steak = tg.create_task(course("steak", 0.04))
    print("task group:", soup.result(), steak.result())
    tasks = [asyncio.create_task(course(n, s)) for n, s in [("tea", 0.03), ("cake", 0.01)]]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("first completed:", [t.result() for t in done], len(pending))
    await asyncio.wait(pending)
    for next_done in asyncio.as_completed([course("a", 0.03), course("b", 0.01)]):
        print("as completed:", await next_done)
    try:
        await asyncio.wait_for(course("slow", 1), timeout=0.01)
    except asyncio.TimeoutError:
        print("wait_for timed out")
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(course("ok", 0.01))
            tg.create_task(fail_later())
    except ExceptionGroup as group:
        print("task group failed:", group, "-", group.exceptions[0])


async def fail_later():
    await asyncio.sleep(0.02)
    raise ValueError("the sauce split")


def add(counter, lock, shared, n):
    for _ in range(n):
        with lock:
            counter.value += 1
    shared[0] += n


def pipe_child(conn):
    conn.send(["pasta", 3])
    print("child got:", conn.recv())
    conn.close()


def square(x):
    return x * x


def processes():
    parent, child = multiprocessing.Pipe()
    p = multiprocessing.Process(target=pipe_child, args=(child,))
    p.start()
    print("parent got:", parent.recv())
    parent.send("thanks")
    p.join()
    print("exit code:", p.exitcode)
    counter = multiprocessing.Value("i", 0)
    shared = multiprocessing.Array("i", [0, 0])
    lock = multiprocessing.Lock()
    workers = [multiprocessing.Process(target=add, args=(counter, lock, shared, 50))
               for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("counter:", counter.value, "array:", shared[:])
    with multiprocessing.Pool(2) as pool:
        r = pool.apply_async(square, (7,))
        print("apply_async:", r.get(timeout=5))
        print("imap_unordered:", sorted(pool.imap_unordered(square, range(5))))
        slow = pool.apply_async(time.sleep, (1,))
        try:
            slow.get(timeout=0.01)
        except multiprocessing.TimeoutError:
            print("multiprocessing.TimeoutError")


if __name__ == "__main__":
    calendar_and_system()
    iterate()
    events_and_conditions()
    semaphores_timers_and_locals()
    daemons()
    queue_join()
    executor_errors()
    loop = asyncio.new_event_loop()
    print("run_until_complete:", loop.run_until_complete(course("done", 0.01)))
    loop.close()
    asyncio.run(dinner())
    processes()
    print("hasattr/getattr/setattr:", hasattr(log, "info"), getattr(log, "nope", "default"))
    print("__name__:", __name__, "file:", __file__.endswith(".py"))
