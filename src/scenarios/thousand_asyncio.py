# 1,000 pots, one chef (asyncio).
#
# A thousand orders that only boil. Each is a coroutine; asyncio.gather wraps each in a task
# on one event loop. A waiting task costs a little memory and no thread at all: the chef puts
# a thousand pots on, and the loop wakes each when its time is up. Total: about one boil.
import asyncio

BOIL_SECONDS = 30
POTS = 1000


async def boil(pot):
    await asyncio.sleep(BOIL_SECONDS)


async def main():
    await asyncio.gather(*(boil(pot) for pot in range(1, POTS + 1)))
    print(f"all {POTS} pots boiled")


asyncio.run(main())
