# mp_queue.py: child processes send results back through a multiprocessing.Queue.
#
# A child process cannot change the parent's variables, so each of three cooks puts its
# result on a Queue: the result is pickled, written to a pipe by a feeder thread, and unpickled
# by the parent's `get`. The parent takes exactly as many results as it started cooks and only
# then joins them (joining first could wait forever for a child whose queue data is still
# unsent). CPython: the cooks run in parallel, one per core; results arrive as they finish.
import multiprocessing

MILLION = 10**6
COOKS = [("cook 1", 2 * MILLION), ("cook 2", 4 * MILLION), ("cook 3", 6 * MILLION)]


def cook(name, n, results):
    total = sum(i * i for i in range(n))
    results.put((name, n, total))


if __name__ == "__main__":
    results = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(name, n, results)) for name, n in COOKS]
    for c in cooks:
        c.start()
    print(f"kitchen: {len(cooks)} cooks started on {multiprocessing.cpu_count()} cores")
    totals = []
    for _ in cooks:
        name, n, total = results.get()
        totals.append(total)
        print(f"{name}: sum of squares below {n} is {total}")
    for c in cooks:
        c.join()
    print(f"kitchen: grand total {sum(totals)}")
    print("done")
