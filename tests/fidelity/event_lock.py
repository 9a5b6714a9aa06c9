# event_lock.py: asyncio.Event makes coroutines wait for a signal; asyncio.Lock lets one in
# at a time.
#
# Three bakers wait for the oven to be hot (`await oven_hot.wait()`). The heater sets the event
# after HEAT_S and all three wake up, in the order they started waiting. The oven fits one tray
# (`async with oven`), so they bake one after another, each handing the lock to the next in
# line. CPython prints the same lines in the same order every run.
# fidelity: total-order
import asyncio

BAKERS = 3
HEAT_S = 0.2
BAKE_S = 0.12


async def heater(oven_hot):
    print("heater: oven on")
    await asyncio.sleep(HEAT_S)
    oven_hot.set()
    print("heater: oven hot")


async def baker(n, oven_hot, oven):
    print(f"baker {n}: waiting for the oven to heat")
    await oven_hot.wait()
    print(f"baker {n}: oven is hot, queueing")
    async with oven:
        print(f"baker {n}: tray in")
        await asyncio.sleep(BAKE_S)
        print(f"baker {n}: tray out")
    return n


async def main():
    oven_hot = asyncio.Event()
    oven = asyncio.Lock()
    bakers = [asyncio.create_task(baker(n, oven_hot, oven)) for n in range(1, BAKERS + 1)]
    await heater(oven_hot)
    baked = await asyncio.gather(*bakers)
    print(f"kitchen: trays from bakers {baked}")
    print("done")


asyncio.run(main())
