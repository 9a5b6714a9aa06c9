# threading: nine chefs, one stove.
#
# Every step of every order gets its own thread: three orders times boil, chop and sauce make
# nine threads. A thread that sleeps releases the GIL (the Global Interpreter Lock), so the
# three pots boil side by side with everything else. A thread that computes needs the GIL to
# run Python code, and there is one GIL per process: the six CPU steps take turns, switching
# every 5 ms, so they all finish late, after about as much time as six steps one after
# another. Even starting the chefs slows down: after each start() the main thread has to
# wait for its turn on the GIL before it can start the next one.
import threading
import time

BOIL_SECONDS = 30
CPU_N = 10**7
ORDERS = 3


def boil(order):
    time.sleep(BOIL_SECONDS)  # sleeping releases the GIL
    print(f"order {order}: pasta ready")


def chop_veggies(order):
    sum(i * i for i in range(CPU_N))  # needs the GIL the whole time
    print(f"order {order}: veggies chopped")


def prepare_sauce(order):
    sum(i * i for i in range(CPU_N))
    print(f"order {order}: sauce ready")


chefs = []
for order in range(1, ORDERS + 1):
    chefs.append(threading.Thread(target=boil, args=(order,), name=f"order {order} · boil"))
    chefs.append(threading.Thread(target=chop_veggies, args=(order,), name=f"order {order} · chop"))
    chefs.append(threading.Thread(target=prepare_sauce, args=(order,), name=f"order {order} · sauce"))

for chef in chefs:
    chef.start()
for chef in chefs:
    chef.join()  # wait until every chef is done
