# CPU work from asyncio: to_thread against a process pool.
#
# Three orders, each needing two CPU steps (chopping and the sauce: `prepare`). Called directly
# from a coroutine, `prepare` would freeze the event loop (see asyncio-blocking).
#
# First the orders go to helper threads with `asyncio.to_thread`. The loop stays free, but the
# threads share one GIL: the six steps take turns and take as long as six steps in a row.
#
# Then they go to a `ProcessPoolExecutor` through `loop.run_in_executor`: three worker
# processes, each with its own GIL, on their own cores. The loop awaits them like any other
# future. The six steps now take about as long as two, plus the start of the pool's processes
# and the pickling of every argument and result that crosses between processes.
import asyncio
from concurrent.futures import ProcessPoolExecutor

CPU_N = 10**7
ORDERS = 3


def prepare(order):
    sum(i * i for i in range(CPU_N))  # chop the veggies
    sum(i * i for i in range(CPU_N))  # make the sauce
    return f"order {order}"


async def with_to_thread():
    prepared = await asyncio.gather(*(asyncio.to_thread(prepare, order) for order in range(1, ORDERS + 1)))
    print(f"to_thread: {prepared} prepared")


async def with_processes():
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=ORDERS) as kitchens:
        prepared = await asyncio.gather(*(loop.run_in_executor(kitchens, prepare, order) for order in range(1, ORDERS + 1)))
    print(f"process pool: {prepared} prepared")


# Only the main program starts processes (see processes.py).
if __name__ == "__main__":
    asyncio.run(with_to_thread())
    asyncio.run(with_processes())
