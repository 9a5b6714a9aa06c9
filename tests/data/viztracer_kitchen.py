# A small kitchen for VizTracer: one order's pasta boils on a thread, its veggies are chopped
# on another, a second order's veggies in a process of their own. tests/trace_io.rs imports
# the trace VizTracer wrote of it (viztracer_kitchen.json, made with
#   viztracer --min_duration 20 -o tests/data/viztracer_kitchen.json tests/data/viztracer_kitchen.py
# ) and, where viztracer is installed, makes a new one the same way. The committed file has
# VizTracer's "file_info" (a copy of the sources, for its own viewer) taken out.
import multiprocessing
import threading
import time


def chop(order):
    sum(i * i for i in range(100_000))
    print(f"order {order}: veggies chopped")


def boil(order):
    time.sleep(0.05)
    print(f"order {order}: pasta ready")


if __name__ == "__main__":
    kitchen = multiprocessing.Process(target=chop, args=(2,), name="order 2 · chop")
    kitchen.start()
    chefs = [
        threading.Thread(target=boil, args=(1,), name="order 1 · boil"),
        threading.Thread(target=chop, args=(1,), name="order 1 · chop"),
    ]
    for chef in chefs:
        chef.start()
    for chef in chefs:
        chef.join()
    kitchen.join()
