# nine_processes.py: the 9-step kitchen with a multiprocessing.Process per step.
#
# Three orders, each split into three processes: boil (time.sleep), chop and sauce (CPU sums).
# CPython (fork on Linux): every process has its own interpreter and its own GIL, so the six
# CPU steps really run in parallel, as many at a time as there are cores; starting a process
# costs a fork, much more than starting a thread. A child cannot append to the parent's lists,
# so each step reports by printing.
import multiprocessing
import time

ORDERS = 3
BOIL_S = 0.3
CPU_N = 3 * 10**6


def boil(order, seconds):
    time.sleep(seconds)
    print(f"order {order} boil: pasta ready")


def chop(order, n):
    sum(i * i for i in range(n))
    print(f"order {order} chop: veggies chopped")


def sauce(order, n):
    total = 0
    for i in range(n):
        total += i * i
    print(f"order {order} sauce: sauce ready")


if __name__ == "__main__":
    kitchens = []
    for order in range(1, ORDERS + 1):
        kitchens.append(multiprocessing.Process(target=boil, args=(order, BOIL_S)))
        kitchens.append(multiprocessing.Process(target=chop, args=(order, CPU_N)))
        kitchens.append(multiprocessing.Process(target=sauce, args=(order, CPU_N)))
    for kitchen in kitchens:
        kitchen.start()
    print(f"kitchen: {len(kitchens)} processes started")
    for kitchen in kitchens:
        kitchen.join()
    print("done")
