# asyncio with to_thread: the chef hands the chopping to helpers.
#
# The same three orders, but chopping and the sauce run through
# `await asyncio.to_thread(...)`: each call goes to a helper thread and the coroutine waits
# for it with `await`, so the event loop stays free. Every pasta is ready right after the
# boil. But the helpers are threads of the same process, and only the one holding the GIL
# (the Global Interpreter Lock) runs Python code: the six CPU steps take turns, every 5 ms,
# and together take as long as before. to_thread is for waiting (files, network, sleeps),
# not for making computation parallel.
import asyncio

BOIL_SECONDS = 30
CPU_N = 10**7
ORDERS = 3


def chop_veggies(order):
    sum(i * i for i in range(CPU_N))  # runs in a helper thread, holding the GIL
    print(f"order {order}: veggies chopped")


def prepare_sauce(order):
    sum(i * i for i in range(CPU_N))
    print(f"order {order}: sauce ready")


async def cook(order):
    await asyncio.sleep(BOIL_SECONDS)
    print(f"order {order}: pasta ready")
    await asyncio.to_thread(chop_veggies, order)  # the loop stays free while a helper chops
    await asyncio.to_thread(prepare_sauce, order)


async def main():
    await asyncio.gather(*(cook(order) for order in range(1, ORDERS + 1)))


asyncio.run(main())
