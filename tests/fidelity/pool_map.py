# pool_map.py: multiprocessing.Pool.map spreads CPU work over worker processes.
#
# Eight batches of sauce of different sizes go to a pool of two worker processes. `map` pickles
# each batch size to a worker, the workers compute in parallel (one per core), and the results
# come back pickled, in the order of the input, whatever order they finished in. Only the
# main process prints, so the lines come in the same order every time.
# fidelity: total-order
import multiprocessing

WORKERS = 2
MILLION = 10**6
BATCHES = [3 * MILLION, 1 * MILLION, 4 * MILLION, 1 * MILLION, 5 * MILLION, 2 * MILLION, 2 * MILLION, 3 * MILLION]


def sauce(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


if __name__ == "__main__":
    print(f"kitchen: {len(BATCHES)} batches for {WORKERS} cooks")
    with multiprocessing.Pool(WORKERS) as pool:
        totals = pool.map(sauce, BATCHES)
    for number, n, total in zip(range(1, len(BATCHES) + 1), BATCHES, totals):
        print(f"batch {number}: sum of squares below {n} is {total}")
    print(f"kitchen: grand total {sum(totals)}")
    print("done")
