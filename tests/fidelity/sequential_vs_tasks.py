# sequential_vs_tasks.py: awaiting coroutines one after another vs starting them as tasks.
#
# First half: `await cook(...)` three times. Each await runs that dish to the end before the
# next one even starts, so the times add up (0.3 + 0.2 + 0.1 s).
# Second half: `asyncio.create_task` starts all three at once; awaiting them afterwards only
# collects results. The dishes finish by their own durations (salad first), even though we
# await the pasta first, and the whole half takes as long as the longest dish.
# CPython prints the same lines in the same order every time.
# fidelity: total-order
import asyncio

PASTA_S = 0.3
SAUCE_S = 0.2
SALAD_S = 0.1


async def cook(dish, seconds):
    await asyncio.sleep(seconds)
    print(f"{dish}: ready")
    return seconds


async def main():
    print("sequential: start")
    await cook("sequential pasta", PASTA_S)
    await cook("sequential sauce", SAUCE_S)
    await cook("sequential salad", SALAD_S)
    print("sequential: all three ready")

    print("tasks: start")
    pasta = asyncio.create_task(cook("tasks pasta", PASTA_S))
    sauce = asyncio.create_task(cook("tasks sauce", SAUCE_S))
    salad = asyncio.create_task(cook("tasks salad", SALAD_S))
    print("tasks: all three started")
    first = await pasta  # by now the other two are long done
    second = await sauce
    third = await salad
    print(f"tasks: {first + second + third:.1f} s of cooking done in {PASTA_S} s")
    print("done")


asyncio.run(main())
