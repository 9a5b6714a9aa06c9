# queue_pipeline.py: an asyncio.Queue between a waiter (producer) and two cooks (consumers).
#
# The waiter puts orders on a queue that holds at most two tickets: one order every 0.1 s,
# then a table of four orders at once. When the queue is full, `await queue.put` waits until
# a cook takes a ticket (backpressure). Each cook takes the next ticket (`await queue.get`)
# and cooks it (`await asyncio.sleep`); a None ticket sends a cook home. CPython: one thread,
# the event loop switching at every await; a ticket goes to the cook who has waited longest.
# The times are chosen so that no two independent events come within 50 ms of each other,
# so the lines come in the same order on every run.
# fidelity: total-order
import asyncio

WAIT_BEFORE_ORDER_S = [0.1, 0.1, 0.1, 0.1, 0.1, 0, 0, 0]
QUEUE_SIZE = 2
COOK_S = 0.15
COOKS = ["cook Ana", "cook Bo"]


async def waiter(queue):
    for i, pause in enumerate(WAIT_BEFORE_ORDER_S):
        order = i + 1
        await asyncio.sleep(pause)
        await queue.put(order)
        print(f"waiter: order {order} on the rail")
    for _ in COOKS:
        await queue.put(None)
    print("waiter: kitchen closed")


async def cook(name, queue):
    cooked = 0
    while True:
        order = await queue.get()
        if order is None:
            break
        print(f"{name}: cooking order {order}")
        await asyncio.sleep(COOK_S)
        cooked += 1
        print(f"{name}: order {order} served")
    print(f"{name}: going home after {cooked} orders")
    return cooked


async def main():
    queue = asyncio.Queue(maxsize=QUEUE_SIZE)
    cooks = [asyncio.create_task(cook(name, queue)) for name in COOKS]
    await waiter(queue)
    counts = await asyncio.gather(*cooks)
    print(f"kitchen: {sum(counts)} orders served")
    print("done")


asyncio.run(main())
