# A tour of decorators and dataclasses as tutorials write them: plain decorators, decorators
# with arguments, functools.wraps, stacked decorators, decorators that keep state (on the
# wrapper, or in a class with __call__), decorators on methods and on coroutines, a class
# decorator, and @dataclass records (defaults, default_factory, order=True, __post_init__,
# asdict, fields).
# tests/python.rs runs it under python3 and under the kitchen: the printed lines must match.
import asyncio
import functools
import time
from dataclasses import asdict, dataclass, field, fields


def logged(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        print(f"calling {func.__name__}{args}")
        result = func(*args, **kwargs)
        print(f"{func.__name__} returned {result!r}")
        return result
    return wrapper


def repeat(times):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args):
            return [func(*args) for _ in range(times)]
        return wrapper
    return decorator


def count_calls(func):
    def wrapper(*args):
        wrapper.calls += 1
        return func(*args)
    wrapper.calls = 0
    return wrapper


def retry(attempts):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args):
            for i in range(1, attempts + 1):
                try:
                    return func(*args)
                except ConnectionError as e:
                    print(f"attempt {i} failed: {e}")
            raise RuntimeError(f"{func.__name__} failed {attempts} times")
        return wrapper
    return decorator


class Memoize:
    def __init__(self, func):
        self.func = func
        self.cache = {}
        functools.wraps(func)(self)

    def __call__(self, n):
        if n not in self.cache:
            self.cache[n] = self.func(n)
        return self.cache[n]


def timed(coro):
    @functools.wraps(coro)
    async def wrapper(*args):
        start = time.monotonic()
        result = await coro(*args)
        print(f"{coro.__name__} took at least 0.2s: {time.monotonic() - start >= 0.2}")
        return result
    return wrapper


registry = []


def register(cls):
    registry.append(cls.__name__)
    return cls


@logged
def add(a, b):
    """Adds two numbers."""
    return a + b


@repeat(3)
def greet(name):
    return f"hi {name}"


@count_calls
def tick():
    return "tick"


@logged
@repeat(2)
def shout(word):
    return word.upper()


flaky_calls = []


@retry(3)
def flaky():
    flaky_calls.append(1)
    if len(flaky_calls) < 3:
        raise ConnectionError(f"try {len(flaky_calls)}")
    return "connected"


@Memoize
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


@register
class Oven:
    def __init__(self, temp):
        self.temp = temp

    def __repr__(self):
        return f"Oven({self.temp})"

    @logged
    def heat(self, by):
        self.temp += by
        return self.temp


@timed
async def boil(minutes):
    await asyncio.sleep(minutes / 10)
    return "boiled"


@dataclass
class Order:
    dish: str
    qty: int = 1
    tags: list = field(default_factory=list)

    def total(self, price):
        return self.qty * price


@dataclass(order=True)
class Ticket:
    priority: int
    name: str = "?"


@dataclass
class Point:
    x: float
    y: float

    def __post_init__(self):
        self.dist = (self.x ** 2 + self.y ** 2) ** 0.5


@dataclass
class Point3(Point):
    z: float = 0.0


if __name__ == "__main__":
    print(add(2, 3), add.__name__, add.__doc__, add.__wrapped__(1, 1))
    print(greet("ada"), greet.__name__)
    tick()
    tick()
    print(tick.calls, tick.__name__)
    print(shout("hey"), shout.__name__)
    print(flaky(), len(flaky_calls))
    print(fib(20), len(fib.cache), fib.__name__)
    oven = Oven(100)
    print(oven.heat(50), registry)
    print(asyncio.run(boil(2)))

    o = Order("pasta", 2)
    o2 = Order("pasta", 2)
    print(o, o == o2, o is o2, Order("soup"), asdict(o), o.total(9.5))
    o.tags.append("spicy")
    print(o, o == o2, Order("x").tags is Order("x").tags)
    print([f.name for f in fields(Order)])
    tickets = [Ticket(3, "c"), Ticket(1, "a"), Ticket(2, "b")]
    print(sorted(tickets), Ticket(1) < Ticket(2), max(tickets).name)
    p = Point(3, 4)
    print(p, p.dist, Point3(1, 2), Point3(1, 2, 3) == Point3(1, 2, 3))
    try:
        hash(o)
    except TypeError as e:
        print("TypeError:", e)
    try:
        Order()
    except TypeError as e:
        print("TypeError:", e)
