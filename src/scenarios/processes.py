# multiprocessing: nine kitchens.
#
# Every step of every order gets its own process. Each process is a whole Python interpreter
# with its own GIL, so the CPU steps really run in parallel, one per CPU core. The price: a
# process takes much longer to start than a thread and needs its own memory, and processes
# share no variables (each step prints its own line).
import multiprocessing
import time

BOIL_SECONDS = 30
CPU_N = 10**7
ORDERS = 3


def boil(order):
    time.sleep(BOIL_SECONDS)
    print(f"order {order}: pasta ready")


def chop_veggies(order):
    sum(i * i for i in range(CPU_N))  # a process of its own: runs on its own core
    print(f"order {order}: veggies chopped")


def prepare_sauce(order):
    sum(i * i for i in range(CPU_N))
    print(f"order {order}: sauce ready")


# Only the main program starts processes. (With the "spawn" start method, the default on
# Windows and macOS, each child imports this file again; the guard keeps it from starting
# processes of its own.)
if __name__ == "__main__":
    kitchens = []
    for order in range(1, ORDERS + 1):
        kitchens.append(multiprocessing.Process(target=boil, args=(order,), name=f"order {order} · boil"))
        kitchens.append(multiprocessing.Process(target=chop_veggies, args=(order,), name=f"order {order} · chop"))
        kitchens.append(multiprocessing.Process(target=prepare_sauce, args=(order,), name=f"order {order} · sauce"))

    for kitchen in kitchens:
        kitchen.start()
    for kitchen in kitchens:
        kitchen.join()
