# thread_pool_pipeline.py: ThreadPoolExecutor.map over a generator pipeline.
#
# Tickets come out of a chain of generators (numbers -> dishes, joined with `yield from`).
# `pool.map` takes the whole pipeline at once: every ticket is written and submitted before the
# first dish is cooked. Three cooks work on them; soups simmer (time.sleep, which releases the
# GIL), salads are chopped (a CPU sum, which holds it). CPython: results come back in ticket
# order, each as soon as it and every ticket before it is done, so a slow soup holds back the
# salads after it. All the printing is done by the main thread, in a fixed order.
# fidelity: total-order
import time
from concurrent.futures import ThreadPoolExecutor

DISHES = 9
COOKS = 3
SIMMER_S = 0.25
CPU_N = 2 * 10**6


def numbers(count):
    n = 1
    while n <= count:
        yield n
        n += 1


def dishes(numbers):
    for n in numbers:
        if n % 3 == 1:
            kind = "soup"
        else:
            kind = "salad"
        print(f"ticket {n}: {kind}")
        yield (n, kind)


def tickets(count):
    yield from dishes(numbers(count))


def cook(ticket):
    n, kind = ticket
    if kind == "soup":
        time.sleep(SIMMER_S)
    else:
        sum(i * i for i in range(CPU_N))
    return f"dish {n}: {kind} served"


def main():
    with ThreadPoolExecutor(max_workers=COOKS) as pool:
        for line in pool.map(cook, tickets(DISHES)):
            print(line)
    print("done")


if __name__ == "__main__":
    main()
