# The restaurant on asyncio: a task per order, three burners.
#
# Eight orders come from a seeded random menu (`random.seed` makes the "random" menu the same
# on every run). Each order becomes a task at once (`asyncio.create_task`), but the kitchen
# has only three burners: `asyncio.Semaphore(3)` lets three orders cook at a time, and an
# order that finds no free burner waits in line (`async with burners`). A burner that comes
# free goes to the order that has waited longest. Cooking is waiting (`await asyncio.sleep`),
# so one chef runs the whole restaurant. `asyncio.gather` collects what the tasks return, in
# the order of the orders, however they finished.
import asyncio
import random

BOIL_SECONDS = 30
ORDERS = 8
BURNERS = 3
SEED = 141
# Cooking time of each dish, as a share of the pasta's boil.
MENU = {"pasta": 1.0, "risotto": 0.7, "soup": 0.45, "salad": 0.2}


async def cook(order, dish, burners):
    print(f"order {order}: {dish} waits for a burner")
    async with burners:  # at most three orders inside at a time
        print(f"order {order}: {dish} on a burner")
        await asyncio.sleep(MENU[dish] * BOIL_SECONDS)
    print(f"order {order}: {dish} cooked")
    return f"{dish} #{order}"


async def main():
    random.seed(SEED)
    burners = asyncio.Semaphore(BURNERS)
    tasks = []
    for order in range(1, ORDERS + 1):
        dish = random.choice(list(MENU))
        tasks.append(asyncio.create_task(cook(order, dish, burners)))
    served = await asyncio.gather(*tasks)
    print(f"kitchen: served {served}")


asyncio.run(main())
