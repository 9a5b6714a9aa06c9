# await one by one, or create the tasks first?
#
# Three dishes that only wait: the pasta boils for BOIL_SECONDS, the sauce simmers for two
# thirds of that, the salad rests for a third.
#
# First half: `await cook(...)` three times. Awaiting a coroutine runs it to its end before the
# next line starts, so the second dish is not even put on until the first is done: the waits
# add up (one boil plus two thirds plus one third: two boils).
#
# Second half: `asyncio.create_task(...)` three times, then await each task. Creating a task
# schedules it on the event loop; the three start as soon as `main` awaits for the first time,
# and their waits overlap. Awaiting the pasta first does not make it finish first: the salad
# is ready first, and the whole half takes as long as the longest dish, one boil.
import asyncio

BOIL_SECONDS = 30


async def cook(dish, seconds):
    await asyncio.sleep(seconds)  # waiting: the event loop runs whatever else is ready
    print(f"{dish}: ready")


async def main():
    print("one by one: start")
    await cook("one by one, pasta", BOIL_SECONDS)
    await cook("one by one, sauce", BOIL_SECONDS * 2 / 3)
    await cook("one by one, salad", BOIL_SECONDS / 3)
    print("one by one: all three ready")

    print("tasks: start")
    pasta = asyncio.create_task(cook("tasks, pasta", BOIL_SECONDS))
    sauce = asyncio.create_task(cook("tasks, sauce", BOIL_SECONDS * 2 / 3))
    salad = asyncio.create_task(cook("tasks, salad", BOIL_SECONDS / 3))
    print("tasks: three tasks created, none started yet")
    await pasta  # main waits here; meanwhile the loop runs all three
    await sauce  # long done by now
    await salad
    print("tasks: all three ready")


asyncio.run(main())
