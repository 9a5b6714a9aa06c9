# A tour of sets, bytes, starred assignment, generators driven by send/throw/close, and the
# introspection builtins, as tutorials write them. Sets print in CPython's order (ints and
# tuples always; strings as CPython orders them under PYTHONHASHSEED=0, which tests/python.rs
# sets, since otherwise CPython's own order changes from run to run).
# tests/python.rs runs it under python3 and under the kitchen: the printed lines must match.
import asyncio


def dedupe(items):
    seen = set()
    out = []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def grep(pattern):
    print(f"looking for {pattern!r}")
    try:
        while True:
            line = yield
            if pattern in line:
                print("found:", line)
    except GeneratorExit:
        print("grep closed")


def running_average():
    total, count, average = 0, 0, None
    while True:
        try:
            value = yield average
        except ValueError:
            total, count, average = 0, 0, None
            continue
        total += value
        count += 1
        average = total / count


def countdown(n):
    while n > 0:
        received = yield n
        if received == "skip":
            n -= 1
        n -= 1
    return "liftoff"


async def fetch(name, delay):
    await asyncio.sleep(delay)
    return name.encode()


async def main():
    pages = await asyncio.gather(fetch("home", 0.2), fetch("about", 0.1))
    print(pages, b" | ".join(pages), sum(len(p) for p in pages))


if __name__ == "__main__":
    primes = {2, 3, 5, 7, 11, 13}
    odds = {x for x in range(15) if x % 2}
    print(primes, odds, primes & odds, primes | {1, 4}, primes - odds, primes ^ odds)
    print(len(primes), 7 in primes, 8 not in primes, {2, 3} <= primes, primes > {2})
    print(sorted(primes, reverse=True), sum(primes), max(odds), set(), {(1, 2), (0, 5)})
    print({8, 1, 9, 17}, set([40, 8, 32, 0, 16]), {n * n % 10 for n in range(20)})
    tags = {"python", "asyncio", "threads"}
    tags.add("gil")
    tags.discard("threads")
    print(tags, sorted(tags), "gil" in tags, len(tags))
    print(dedupe([3, 1, 3, 2, 1]), frozenset([3, 3, 1]), set("banana") == {"a", "b", "n"})
    s = {1, 2, 3}
    s.update([10, 20], {30})
    s.remove(2)
    print(s, s.union({0}), s.intersection([1, 10, 99]), s.issubset(range(100)))
    try:
        s.remove(99)
    except KeyError as e:
        print("KeyError", e)
    try:
        {[1, 2]}
    except TypeError as e:
        print("TypeError:", e)

    data = b"GET /index.html HTTP/1.1"
    method, path, version = data.split()
    print(data, len(data), data[0], data[:3], method.decode(), path, version == b"HTTP/1.1")
    text = "café"
    raw = text.encode("utf-8")
    print(raw, len(text), len(raw), raw.decode("utf-8"), list(b"hi"), bytes([104, 105]))
    print(b"," .join([b"a", b"b", b"c"]), b"ab" + b"cd", b"-" * 3, raw.hex(), b"H" in data)
    print(repr(b"it's"), b'say "hi"', b"\x00\x7f\n", {b"key": 1}[b"key"], bytes(3))

    first, *middle, last = [1, 2, 3, 4, 5]
    print(first, middle, last)
    *init, tail = "kitchen"
    head, *rest = (42,)
    print(init, tail, head, rest)
    for name, *scores in [("ada", 9, 7), ("bob", 5)]:
        print(name, scores, sum(scores))
    (a, b), *others = [(1, 2), (3, 4), (5, 6)]
    print(a, b, others)
    try:
        x, *y, z = [1]
    except ValueError as e:
        print("ValueError:", e)

    g = grep("coroutine")
    next(g)
    g.send("a generator")
    g.send("a coroutine!")
    g.close()
    avg = running_average()
    print(next(avg), avg.send(10), avg.send(20), avg.throw(ValueError), avg.send(4))
    c = countdown(5)
    print([next(c), c.send("skip"), next(c)])
    try:
        while True:
            next(c)
    except StopIteration as e:
        print("done:", e.value)
    c2 = countdown(1)
    print(next(c2), c2.close(), list(c2))

    class Plate:
        size = "large"

        def __init__(self, food):
            self.food = food

    p = Plate("soup")
    print(hasattr(p, "food"), hasattr(p, "spoon"), getattr(p, "size"), getattr(p, "x", 0))
    setattr(p, "spoon", True)
    print(vars(p), [n for n in dir(p) if not n.startswith("__")], dir(p)[:3])
    print(__name__, type(__file__).__name__, isinstance(p, object), callable(Plate))
    asyncio.run(main())
