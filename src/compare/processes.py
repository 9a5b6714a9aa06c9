# The comparison's recipe with a process per order, each with its own GIL.
# Each order boils (a wait), then chops and makes its sauce (two CPU steps).
import multiprocessing
import time

BOIL_SECONDS = 30
CPU_N = 10**7
ORDERS = 3


def cpu_step():
    return sum(i * i for i in range(CPU_N))


def cook(order):
    time.sleep(BOIL_SECONDS)
    cpu_step()  # chop: on a core of its own
    cpu_step()  # sauce
    print(f"order {order}: served")


if __name__ == "__main__":
    kitchens = [multiprocessing.Process(target=cook, args=(order,), name=f"order {order}") for order in range(1, ORDERS + 1)]
    for kitchen in kitchens:
        kitchen.start()
    for kitchen in kitchens:
        kitchen.join()
