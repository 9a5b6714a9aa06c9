# Concurrency is not parallelism: one chef switching among three dishes, then three kitchens.
#
# First, one chef (one event loop) cooks three dishes. Each dish needs three stirs, and a stir
# is CPU work. After every stir the dish hands the chef to the next one
# (`await asyncio.sleep(0)`), so all three dishes move along together: that is concurrency,
# dealing with several things at once. But the chef only has two hands: the nine stirs still
# happen one after another, and the three dishes take as long as nine stirs.
#
# Then each dish gets a kitchen of its own (a process). The three stir at the same time, one
# per CPU core: that is parallelism, doing several things at once. With three cores free, the
# three dishes take about as long as three stirs, plus the time to open three kitchens.
import asyncio
import multiprocessing

CPU_N = 10**7
STIRS = 3
DISHES = ["soup", "risotto", "curry"]


def stir(where, dish, number):
    sum(i * i for i in range(CPU_N))  # one stir: CPU work
    print(f"{where}, {dish}: stirred {number}")


async def one_chef_cooks(dish):
    for number in range(1, STIRS + 1):
        stir("one chef", dish, number)
        await asyncio.sleep(0)  # hand the chef to the next dish


async def one_chef():
    await asyncio.gather(*(one_chef_cooks(dish) for dish in DISHES))


def own_kitchen_cooks(dish):
    for number in range(1, STIRS + 1):
        stir("own kitchen", dish, number)


# Only the main program starts processes (see processes.py).
if __name__ == "__main__":
    asyncio.run(one_chef())
    kitchens = [multiprocessing.Process(target=own_kitchen_cooks, args=(dish,), name=f"{dish} kitchen") for dish in DISHES]
    for kitchen in kitchens:
        kitchen.start()
    for kitchen in kitchens:
        kitchen.join()
