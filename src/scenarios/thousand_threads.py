# 1,000 pots, 1,000 chefs (threads).
#
# A thousand orders that only boil, a thread each. Sleeping threads release the GIL, so they
# all wait at the same time; but every thread is an operating-system thread with its own stack,
# and starting a thousand of them takes the main thread a while. Total: a bit more than one
# boil.
import threading
import time

BOIL_SECONDS = 30
POTS = 1000


def boil(pot):
    time.sleep(BOIL_SECONDS)


chefs = [threading.Thread(target=boil, args=(pot,), name=f"pot {pot}") for pot in range(1, POTS + 1)]
for chef in chefs:
    chef.start()
for chef in chefs:
    chef.join()
print(f"all {POTS} pots boiled")
