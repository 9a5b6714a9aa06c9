# nine_threads.py: the 9-thread kitchen. Three orders, each split into three threads: boil
# (time.sleep), chop and sauce (CPU sums).
#
# CPython: sleeping releases the GIL, so the three boils overlap with everything else. The six
# CPU steps hold the GIL and take turns every switch interval (5 ms), so together they take as
# long as six steps one after another, and all six finish near the end. A threading.Lock
# guards the shared list of finished steps.
# The boils are started first: once CPU threads run, the main thread has to win the GIL back
# after every start(), which can take many switch intervals on a busy machine; started later, a
# boil could end after the CPU work and make the total time a matter of luck.
import threading
import time

ORDERS = 3
BOIL_S = 0.3
CPU_N = 2 * 10**6

finished = []
finished_lock = threading.Lock()


def done_with(step):
    with finished_lock:
        finished.append(step)
    print(f"{threading.current_thread().name}: {step}")


def boil(seconds):
    time.sleep(seconds)
    done_with("pasta ready")


def chop(n):
    sum(i * i for i in range(n))
    done_with("veggies chopped")


def sauce(n):
    total = 0
    for i in range(n):
        total += i * i
    done_with("sauce ready")


def main():
    chefs = []
    for order in range(1, ORDERS + 1):
        chefs.append(threading.Thread(target=boil, args=(BOIL_S,), name=f"order {order} boil"))
    for order in range(1, ORDERS + 1):
        chefs.append(threading.Thread(target=chop, args=(CPU_N,), name=f"order {order} chop"))
        chefs.append(threading.Thread(target=sauce, kwargs={"n": CPU_N}, name=f"order {order} sauce"))
    for chef in chefs:
        chef.start()
    print(f"kitchen: {len(chefs)} chefs started")
    for chef in chefs:
        chef.join()
    print(f"kitchen: {len(finished)} steps finished")
    print("done")


if __name__ == "__main__":
    main()
