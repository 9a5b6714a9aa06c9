# to_thread.py: asyncio.to_thread keeps the event loop free while a helper thread works.
#
# A heartbeat coroutine ticks every TICK_S. Three orders each boil (a blocking `time.sleep`,
# sent to a thread with `asyncio.to_thread`) and then chop (a CPU sum, also in a thread; order
# 3 uses the older spelling `loop.run_in_executor(None, ...)`). CPython: the three boils
# overlap and the heartbeat never stops. The three chops share one GIL with each other and
# with the loop, so they take three times as long as one, and each tick waits a few
# milliseconds for the GIL, but it still comes.
import asyncio
import time

ORDERS = 3
BOIL_S = 0.3
CPU_N = 2 * 10**6
TICK_S = 0.1
TICKS = 8


def boil(order):
    time.sleep(BOIL_S)
    return order


def chop(n):
    return sum(i * i for i in range(n))


async def heartbeat():
    for tick in range(1, TICKS + 1):
        await asyncio.sleep(TICK_S)
        print(f"heartbeat: tick {tick}")


async def cook(order):
    print(f"order {order}: water on")
    await asyncio.to_thread(boil, order)
    print(f"order {order}: pasta ready")
    if order == 3:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, chop, CPU_N)
    else:
        await asyncio.to_thread(chop, CPU_N)
    print(f"order {order}: veggies chopped")


async def main():
    beat = asyncio.create_task(heartbeat())
    await asyncio.gather(*(cook(o) for o in range(1, ORDERS + 1)))
    print("kitchen: all orders ready")
    await beat
    print("done")


asyncio.run(main())
