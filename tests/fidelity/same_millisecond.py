# same_millisecond.py: timers that end within the same millisecond run in one pass of the
# event loop, before the tasks they wake.
#
# Four cooks hold the four burners of a Semaphore(4); four more wait for one. Each cook
# starts a 0.1 s boil a few microseconds after the one before (the time its own first step
# takes), so their timers end microseconds apart. CPython's loop waits in `select()` with
# its timeout rounded up to whole milliseconds (`EpollSelector.select`), then moves every
# timer that is due to the ready queue before it runs any of them (`_run_once`): all four
# cooks are done, and each has freed its burner, before the first waiting cook gets one,
# because what a freed burner wakes runs in the next pass. In the second round the boils end
# 30 ms apart, far more than the rounding joins: each freed burner goes to a waiter at once.
# fidelity: total-order
import asyncio

BURNERS = 4
BOIL_S = 0.1
APART_S = 0.03
WAITER_BOIL_S = 0.5


async def cook(name, burners, boil_s):
    async with burners:
        print(f"{name}: on a burner")
        await asyncio.sleep(boil_s)
        print(f"{name}: done, frees the burner")


async def round_of(label, burners, apart_s):
    cooks = []
    for i in range(BURNERS):
        cooks.append(asyncio.create_task(cook(f"{label} cook {i + 1}", burners, BOIL_S + i * apart_s)))
    waiting = [asyncio.create_task(cook(f"{label} waiter {i + 1}", burners, WAITER_BOIL_S)) for i in range(BURNERS)]
    await asyncio.gather(*cooks, *waiting)


async def main():
    burners = asyncio.Semaphore(BURNERS)
    await round_of("round 1", burners, 0)
    await round_of("round 2", burners, APART_S)
    print("done")


asyncio.run(main())
