# The interpreter's speed test (`make bench`, natively and in the browser): plain Python the
# kitchen interprets operation by operation (no closed-form loop), the mix a lesson's program
# has: calls, arithmetic, a while loop, list and dict methods, items, an f-string.
# CPython prints the same line: python3 examples/interpreter_speed.py


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def work(n):
    total = 0
    data = []
    i = 0
    while i < n:
        data.append(i % 7)
        total += data[-1] * 2
        i += 1
    counts = {}
    for x in data:
        counts[x] = counts.get(x, 0) + 1
    words = []
    for k in sorted(counts):
        words.append(f"{k}:{counts[k]}")
    return total, fib(20), " ".join(words)


print(work(100000))
