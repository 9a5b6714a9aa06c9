# to_thread for waiting: here it does help.
#
# An old stove with no timer: someone has to stand by the pot. `watch_the_pot` is a blocking
# wait (`time.sleep`), standing for any call that blocks without `await`: reading a file, a
# request with a library that is not async, a database driver.
#
# First, each order calls it directly inside its coroutine. A blocking call freezes the event
# loop, so the orders wait one after another: three boils.
#
# Then each order sends it to a helper thread with `await asyncio.to_thread(...)`. The loop
# stays free, and a sleeping thread does not hold the GIL, so the three waits overlap: about
# one boil. Compare asyncio-to-thread, where the work handed over is computation and
# to_thread does not make it any faster.
import asyncio
import time

BOIL_SECONDS = 30
ORDERS = 3


def watch_the_pot(order):
    time.sleep(BOIL_SECONDS)  # blocks this thread; the GIL is released while it sleeps


async def cook_blocking(order):
    watch_the_pot(order)  # a plain call: the event loop is stuck here
    print(f"plain call, order {order}: pasta ready")


async def cook_in_a_thread(order):
    await asyncio.to_thread(watch_the_pot, order)  # the loop runs other orders meanwhile
    print(f"to_thread, order {order}: pasta ready")


async def main():
    await asyncio.gather(*(cook_blocking(order) for order in range(1, ORDERS + 1)))
    await asyncio.gather(*(cook_in_a_thread(order) for order in range(1, ORDERS + 1)))


asyncio.run(main())
