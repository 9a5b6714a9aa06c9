# mp_queue.py: child processes send results back through a multiprocessing.Queue.
#
# A child process cannot change the parent's variables, so each of three cooks puts its
# result on a Queue: the result is pickled, written to a pipe by a feeder thread, and unpickled
# by the parent's `get`. The parent takes exactly as many results as it started cooks and only
# then joins them (joining first could wait forever for a child whose queue data is still
# unsent). CPython: the cooks run in parallel, one per core; results arrive as they finish.
# Two cooks, not three: on a 2-core machine Linux keeps two CPU-bound processes of three on
# one core (its load balancer cannot even out 2 against 1), while the kitchen shares the cores
# round robin among all three, so the last cook would finish up to a third later in CPython
# depending on which two share a core (see README, "Known differences").
import multiprocessing

MILLION = 10**6
COOKS = [("cook 1", 2 * MILLION), ("cook 2", 4 * MILLION)]


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
