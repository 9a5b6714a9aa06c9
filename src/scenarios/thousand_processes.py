# 1,000 pots, 1,000 kitchens (processes).
#
# A thousand orders that only boil, a process each. Waiting needs no CPU, so parallelism buys
# nothing here, and every process costs a fork and a private copy of what it writes to. Starting
# them takes the main program a long time (each start also checks on every child still running),
# and the last pot goes on the stove well after the first: the most expensive way to wait.
import multiprocessing
import time

BOIL_SECONDS = 30
POTS = 1000


def boil(pot):
    time.sleep(BOIL_SECONDS)


# Only the main program starts processes (see processes.py).
if __name__ == "__main__":
    kitchens = [multiprocessing.Process(target=boil, args=(pot,), name=f"pot {pot}") for pot in range(1, POTS + 1)]
    for kitchen in kitchens:
        kitchen.start()
    for kitchen in kitchens:
        kitchen.join()
    print(f"all {POTS} pots boiled")
