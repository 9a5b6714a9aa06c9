# The comparison's recipe with a thread per order, all sharing one GIL.
# Each order boils (a wait), then chops and makes its sauce (two CPU steps).
import threading
import time

BOIL_SECONDS = 30
CPU_N = 10**7
ORDERS = 3


def cpu_step():
    return sum(i * i for i in range(CPU_N))


def cook(order):
    time.sleep(BOIL_SECONDS)  # sleeping releases the GIL
    cpu_step()  # chop: needs the GIL
    cpu_step()  # sauce
    print(f"order {order}: served")


chefs = [threading.Thread(target=cook, args=(order,), name=f"order {order}") for order in range(1, ORDERS + 1)]
for chef in chefs:
    chef.start()
for chef in chefs:
    chef.join()
