# The restaurant with threads: a generator pipeline feeding a pool of three chefs.
#
# Orders come from a seeded random menu (the same on every run) and flow through a pipeline of
# generators: `ordered` takes them, `with_ingredients` fetches what each needs, `tickets` joins
# the two with `yield from`. A `ThreadPoolExecutor(max_workers=3)` is the kitchen: three chef
# threads, each taking the next ticket as soon as it is free. `chefs.map` reads the whole
# pipeline at once (every order is taken before the first is cooked) and hands back the cooked
# orders in ticket order, and `served` plates them: a slow pasta holds back the orders after it.
# Cooking is mostly waiting (`time.sleep`, which releases the GIL), so three threads cook three
# orders at once; the short CPU step at the end (plating) takes turns on the GIL.
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

BOIL_SECONDS = 30
CPU_N = 10**7
ORDERS = 8
CHEFS = 3
SEED = 141
# Cooking time of each dish, as a share of the pasta's boil.
MENU = {"pasta": 1.0, "risotto": 0.7, "soup": 0.45, "salad": 0.2}
INGREDIENTS = {"pasta": "spaghetti, tomatoes", "risotto": "rice, mushrooms", "soup": "leeks, potatoes", "salad": "lettuce, lemon"}


def ordered(count):
    random.seed(SEED)
    for number in range(1, count + 1):
        dish = random.choice(list(MENU))
        print(f"order {number}: {dish} ordered")
        yield number, dish


def with_ingredients(orders):
    for number, dish in orders:
        yield number, dish, INGREDIENTS[dish]


def tickets(count):
    yield from with_ingredients(ordered(count))


def cook(ticket):  # runs in one of the pool's chef threads
    number, dish, ingredients = ticket
    time.sleep(MENU[dish] * BOIL_SECONDS)  # on the stove: waiting, the GIL is free
    sum(i * i for i in range(CPU_N))  # plating: CPU work, needs the GIL
    return number, dish, threading.current_thread().name


def served(cooked):
    for number, dish, chef in cooked:
        yield f"order {number}: {dish} served, cooked by {chef}"


if __name__ == "__main__":
    with ThreadPoolExecutor(max_workers=CHEFS, thread_name_prefix="chef") as chefs:
        for plate in served(chefs.map(cook, tickets(ORDERS))):
            print(plate)
