# semaphore.py: asyncio.Semaphore(3) lets at most three coroutines in at a time.
#
# Eight dishes, three burners. Each dish waits for a burner (`async with burners`), cooks
# (`await asyncio.sleep`) and frees it; a freed burner goes to the dish that has waited longest.
# CPython: dishes 1-3 start at once, every later dish starts exactly when one finishes. The
# cooking times differ so that no two dishes finish at the same moment, which makes the order
# of the lines the same on every run.
# fidelity: total-order
import asyncio

BURNERS = 3
COOK_S = [0.05, 0.35, 0.15, 0.20, 0.40, 0.40, 0.10, 0.35]


async def dish(n, seconds, burners):
    print(f"dish {n}: ordered")
    async with burners:
        print(f"dish {n}: on a burner")
        await asyncio.sleep(seconds)
        print(f"dish {n}: cooked")
    return n


async def main():
    burners = asyncio.Semaphore(BURNERS)
    dishes = [dish(i + 1, s, burners) for i, s in enumerate(COOK_S)]
    cooked = await asyncio.gather(*dishes)
    print(f"kitchen: {len(cooked)} dishes cooked")
    print("done")


asyncio.run(main())
