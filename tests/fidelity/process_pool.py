# process_pool.py: ProcessPoolExecutor.submit and as_completed.
#
# Four dishes are submitted to two worker processes; each returns a future at once. The roast
# is big, the others small, so one worker spends the whole time on the roast while the other
# cooks the salad, the soup and the tart one after another. `as_completed` yields the futures
# in the order they finish, not the order they were submitted. Arguments and results are
# pickled across the process boundary. CPython (fork): the workers really run in parallel; the
# sizes leave a wide gap between finishing times (the roast takes twice as long as the other
# three together: one virtual core of the test machines ran 1.5 times slower than the other for
# a while, and a 9 : 6 gap was not enough), so the order is the same every run.
# fidelity: total-order
from concurrent.futures import ProcessPoolExecutor, as_completed

WORKERS = 2
MILLION = 10**6
DISHES = [("roast", 12 * MILLION), ("salad", 1 * MILLION), ("soup", 3 * MILLION), ("tart", 2 * MILLION)]


def cook(dish, n):
    return (dish, sum(i * i for i in range(n)) % 9973)


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        futures = []
        for dish, n in DISHES:
            futures.append(pool.submit(cook, dish, n))
            print(f"kitchen: {dish} ordered")
        for future in as_completed(futures):
            dish, check = future.result()
            print(f"kitchen: {dish} served (check {check})")
    print("done")
