# wait_for.py: asyncio.wait_for gives up on a coroutine after a timeout.
#
# The soup is ready within its timeout and its result comes back. The roast takes too long:
# wait_for cancels it (the roast's `finally` runs as the CancelledError passes through) and
# raises TimeoutError. The last dish blocks with time.sleep for longer than its timeout, but
# cancelling needs an await to land on; by the time the loop runs again the dish is finished,
# and wait_for returns its result anyway. CPython prints the same lines in the same order.
# fidelity: total-order
import asyncio
import time

SOUP_S = 0.15
SOUP_TIMEOUT_S = 0.4
ROAST_S = 1.0
ROAST_TIMEOUT_S = 0.3
BLOCKING_S = 0.25
BLOCKING_TIMEOUT_S = 0.05


async def simmer(dish, seconds):
    print(f"{dish}: on the stove")
    try:
        await asyncio.sleep(seconds)
        print(f"{dish}: cooked")
        return f"{dish} for table 4"
    finally:
        print(f"{dish}: off the stove")


async def stubborn(dish, seconds):
    print(f"{dish}: on the stove")
    time.sleep(seconds)  # blocks: nothing can interrupt it
    print(f"{dish}: cooked")
    return f"{dish} for table 7"


async def main():
    plate = await asyncio.wait_for(simmer("soup", SOUP_S), timeout=SOUP_TIMEOUT_S)
    print(f"soup: served {plate}")
    try:
        plate = await asyncio.wait_for(simmer("roast", ROAST_S), timeout=ROAST_TIMEOUT_S)
        print(f"roast: served {plate}")
    except TimeoutError:
        print("roast: too slow, the table ordered something else")
    plate = await asyncio.wait_for(stubborn("risotto", BLOCKING_S), timeout=BLOCKING_TIMEOUT_S)
    print(f"risotto: served {plate}")
    print("done")


asyncio.run(main())
