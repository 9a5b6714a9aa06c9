# gather_blocking.py: blocking calls inside coroutines freeze the whole event loop.
#
# Three orders are gathered. Boiling is `await asyncio.sleep`: the loop is free and all three
# pots boil at once. Warming plates (`time.sleep`) and the sauce (a CPU sum) are plain calls:
# while one order does them, no other coroutine runs, not even one whose timer is long due.
# CPython: the pots boil together, then the blocking parts run one order after another, and
# order 1, whose last short wait ended long ago, is served only after order 3's sauce.
# Every order runs from one await to the next without yielding, so the order of the lines does
# not depend on which of three nearly simultaneous timers the loop sees first.
# fidelity: total-order
import asyncio
import time

ORDERS = 3
BOIL_S = 0.2
PLATES_S = 0.1
CPU_N = 10**6
REST_S = 0.05


def prepare_sauce(n):
    return sum(i * i for i in range(n))


async def cook(order):
    print(f"order {order}: water on")
    await asyncio.sleep(BOIL_S)
    print(f"order {order}: pasta ready")
    time.sleep(PLATES_S)  # blocks the loop
    print(f"order {order}: plates warm")
    prepare_sauce(CPU_N)  # blocks the loop too
    print(f"order {order}: sauce ready")
    await asyncio.sleep(REST_S)
    print(f"order {order}: served")
    return order


async def main():
    served = await asyncio.gather(*(cook(o) for o in range(1, ORDERS + 1)))
    print(f"kitchen: served {served}")
    print("done")


asyncio.run(main())
