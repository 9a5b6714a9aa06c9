# What a program's terminal shows when things go wrong, as CPython shows it: lines printed
# in pieces (end=" "), a coroutine that is never awaited (RuntimeWarning on stderr), an
# exception in a thread (its traceback, and the program goes on), and an uncaught exception
# raised three calls deep inside a coroutine: everything printed before it is kept, then the
# traceback with a File/line/function entry per frame of the program.
# tests/python.rs runs it under python3 -u and under the kitchen and compares both streams,
# leaving out the frames of CPython's own library and the ^~~ markers under source lines.
import asyncio
import threading


class OrderError(Exception):
    def __init__(self, dish, reason):
        super().__init__(f"{dish}: {reason}")
        self.dish = dish


def check_stock(dish, stock):
    if stock[dish] == 0:
        raise OrderError(dish, "out of stock")
    return stock[dish]


def take_order(dish, stock):
    count = check_stock(dish, stock)
    return f"{dish} x{count}"


async def cook(dish):
    await asyncio.sleep(0.01)
    return dish.upper()


def worker():
    items = []
    print("worker picks", items[0])


async def main(stock):
    for dish in ("soup", "salad"):
        print(dish, end=" ")
    print("ready")
    cook("pasta")
    try:
        take_order("pizza", stock)
    except OrderError as e:
        print("refused:", e, "/", e.dish)
    t = threading.Thread(target=worker)
    t.start()
    t.join()
    print("after the thread", await cook("bread"))
    print(take_order("soup", stock))
    print(take_order("pizza", stock))
    print("never printed")


asyncio.run(main({"soup": 2, "pizza": 0}))
