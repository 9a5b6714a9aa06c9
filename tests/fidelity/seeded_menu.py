# seeded_menu.py: random numbers are only "random" until you seed them.
#
# random.seed(SEED) sets CPython's Mersenne Twister to one exact state, so every call after it
# (random, randint, choice, shuffle) gives the same numbers on every run and every machine: the
# menu below is the same each time, down to the last digit. The chef thinks between courses
# (time.sleep) so the program takes a measurable time.
# fidelity: total-order
import random
import time

SEED = 2024
THINK_S = 0.1
DISHES = ["pasta", "risotto", "soup", "salad", "tart", "curry", "gnocchi"]

random.seed(SEED)
print(f"menu: seed {SEED}")
print(f"menu: first draw {random.random()}")
specials = [random.choice(DISHES) for _ in range(3)]
print(f"menu: specials {specials}")
time.sleep(THINK_S)

prices = {dish: random.randint(8, 24) for dish in DISHES}
for dish in DISHES:
    print(f"price {dish}: {prices[dish]} euros")
print(f"menu: cheapest {min(prices[d] for d in DISHES)}, dearest {max(prices[d] for d in DISHES)}")
time.sleep(THINK_S)

tasting = [dish for dish in DISHES]
random.shuffle(tasting)
print(f"menu: tasting order {tasting}")
tip = random.random() * 20
print(f"menu: tip {tip:.2f} euros")
print(f"menu: lucky table {random.randint(1, 40)}")
print(f"menu: reservation code {random.randint(0, 10**30)}")
dice = [random.randint(1, 6) for _ in range(10)]
print(f"menu: dice {dice}, total {sum(dice)}")
time.sleep(THINK_S)

random.seed(SEED)
print(f"menu: reseeded, first draw again {random.random()}")
print("done")
