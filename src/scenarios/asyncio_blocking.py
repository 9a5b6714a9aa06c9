# asyncio, blocking steps: one chef with an event loop.
#
# Three orders, each cooked by its own coroutine; asyncio.gather runs them on one event loop.
# Boiling is `await asyncio.sleep(...)`: while the water boils the chef is free, so all three
# pots go on the stove at once. Chopping and the sauce are ordinary functions that compute.
# A coroutine that calls one does not await anything, so the event loop is frozen until the
# function returns: no other order moves, not even one whose pasta is long done.
# Total time: one boil, then six CPU steps one after another.
import asyncio

BOIL_SECONDS = 30
CPU_N = 10**7
ORDERS = 3


def chop_veggies(order):
    sum(i * i for i in range(CPU_N))  # pure CPU work: nothing else runs meanwhile
    print(f"order {order}: veggies chopped")


def prepare_sauce(order):
    sum(i * i for i in range(CPU_N))
    print(f"order {order}: sauce ready")


async def cook(order):
    await asyncio.sleep(BOIL_SECONDS)  # waiting: the loop runs the other orders meanwhile
    print(f"order {order}: pasta ready")
    chop_veggies(order)  # a plain call: the whole kitchen waits for it
    prepare_sauce(order)


async def main():
    await asyncio.gather(*(cook(order) for order in range(1, ORDERS + 1)))


asyncio.run(main())
