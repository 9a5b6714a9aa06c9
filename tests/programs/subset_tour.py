# A tour of the Python subset the kitchen runs (the list): functions with *args,
# keyword and default arguments, lambdas, generators chained with `yield from`, comprehensions
# (one with `await` inside `async def`), big ints, asyncio's Event, Queue, Lock, gather,
# create_task, wait_for, to_thread, run_in_executor, the executors, Pool, a Process with a
# multiprocessing.Queue, threading's Thread and Lock, and seeded random.
# tests/python.rs runs it under python3 and under the kitchen: the printed lines must match.
import asyncio, time, threading, random, multiprocessing
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor, as_completed

LIMIT = 10**20

def total(*args, scale=1, **kw):
    return sum(args) * scale + len(kw)

def numbers(n):
    for i in range(n):
        yield i

def squares(src):
    for x in src:
        yield x * x

def pipeline(n):
    yield from squares(numbers(n))

def work(x):
    return x * 2

async def waiter(ev, q, name):
    await ev.wait()
    await q.put(name)

async def amain():
    ev = asyncio.Event()
    q = asyncio.Queue()
    lock = asyncio.Lock()
    tasks = [asyncio.create_task(waiter(ev, q, f"w{i}")) for i in range(3)]
    await asyncio.sleep(0.1)
    ev.set()
    async with lock:
        await asyncio.gather(*tasks)
    got = [await q.get() for _ in range(3)]
    loop = asyncio.get_running_loop()
    r = await loop.run_in_executor(None, work, 21)
    try:
        await asyncio.wait_for(asyncio.sleep(1), timeout=0.05)
    except asyncio.TimeoutError:
        print("timed out")
    print(got, r, await asyncio.to_thread(work, 5))

if __name__ == "__main__":
    t0 = time.time(); m0 = time.monotonic(); p0 = time.perf_counter()
    print(total(1, 2, 3, scale=2, a=1), LIMIT * LIMIT, 7 / 2, 7 // 2, -7 % 3)
    print({k: v for k, v in zip("abc", range(3))}, [x for x in pipeline(5) if x % 2 == 0])
    print(list(enumerate(["a", "b"])), str(3.5), int("42"), min(3, 1, 2), max([4, 9, 2]))
    orders = [("soup", 3), ("salad", 1), ("pasta", 2)]
    orders.sort(key=lambda o: o[1], reverse=True)
    print(orders)
    try:
        {"soup": 1}["pizza"]
    except Exception as e:
        print(type(e).__name__, e, type(7).__name__, type(7) is int)
    print("big" if len(orders) > 2 else "small", list(enumerate("ab", start=1)))
    f = lambda x, y=10: x + y
    print(f(1), f(1, y=2), None, True and False)
    random.seed(7)
    menu = ["soup", "salad", "pasta", "pizza"]
    random.shuffle(menu)
    print(random.random(), random.randint(1, 6), random.choice(menu), menu)
    asyncio.run(amain())
    with ThreadPoolExecutor(max_workers=2) as ex:
        print(list(ex.map(work, numbers(4))))
        futs = [ex.submit(work, i) for i in range(3)]
        print(sorted(f.result() for f in as_completed(futs)))
    with ProcessPoolExecutor(max_workers=2) as ex:
        print(list(ex.map(work, range(3))))
    with multiprocessing.Pool(2) as pool:
        print(pool.map(work, [1, 2, 3]), multiprocessing.cpu_count() > 0)
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=q.put, args=("from child",), name="child")
    p.start(); print(q.get()); p.join()
    lk = threading.Lock()
    def chef(n, who="x"):
        with lk:
            print(threading.current_thread().name, n, who)
    th = threading.Thread(target=chef, args=(1,), kwargs={"who": "y"}, name="chef-1")
    th.start(); th.join()
    print(time.time() - t0 > 0, time.monotonic() - m0 > 0, round(time.perf_counter() - p0, 1) >= 0)
