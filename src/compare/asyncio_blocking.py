# The comparison's recipe, cooked by one chef with an event loop; the CPU steps are plain calls.
# Each order boils (a wait), then chops and makes its sauce (two CPU steps).
import asyncio

BOIL_SECONDS = 30
CPU_N = 10**7
ORDERS = 3


def cpu_step():
    return sum(i * i for i in range(CPU_N))


async def cook(order):
    await asyncio.sleep(BOIL_SECONDS)
    cpu_step()  # chop: the whole loop waits for it
    cpu_step()  # sauce
    print(f"order {order}: served")


async def main():
    await asyncio.gather(*(cook(order) for order in range(1, ORDERS + 1)))


asyncio.run(main())
