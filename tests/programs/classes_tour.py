# A tour of classes as tutorials write them: __init__ and methods, class and instance
# attributes, properties with setters, static and class methods, inheritance with super(),
# the dunder methods print, sort, compare, `with`, `for`, `len`, `[]` and calls use, user
# exceptions, and the library's classes subclassed (threading.Thread overriding run,
# queue.Queue), with methods that are coroutines.
# tests/python.rs runs it under python3 and under the kitchen: the printed lines must match.
import asyncio
import queue
import threading
import time


class BankAccount:
    """An account with a balance that cannot go negative."""

    interest_rate = 0.02
    accounts = 0

    def __init__(self, owner, balance=0):
        self.owner = owner
        self._balance = balance
        BankAccount.accounts += 1

    @property
    def balance(self):
        return self._balance

    @balance.setter
    def balance(self, value):
        if value < 0:
            raise ValueError("balance cannot be negative")
        self._balance = value

    def deposit(self, amount):
        self.balance += amount
        return self

    def __repr__(self):
        return f"BankAccount({self.owner!r}, {self.balance})"

    def __str__(self):
        return f"{self.owner}: ${self.balance:.2f}"

    @staticmethod
    def validate(amount):
        return amount > 0

    @classmethod
    def joint(cls, a, b):
        return cls(a.owner + " & " + b.owner, a.balance + b.balance)


class SavingsAccount(BankAccount):
    interest_rate = 0.05

    def __init__(self, owner, balance=0, limit=3):
        super().__init__(owner, balance)
        self.limit = limit

    def add_interest(self):
        self.balance = round(self.balance * (1 + self.interest_rate), 2)

    def __repr__(self):
        return "Savings" + super().__repr__()


class InsufficientFunds(Exception):
    def __init__(self, needed, available):
        super().__init__(f"need {needed}, have {available}")
        self.needed = needed
        self.available = available


class Card:
    RANKS = "23456789TJQKA"

    def __init__(self, rank, suit):
        self.rank = rank
        self.suit = suit

    def __eq__(self, other):
        if not isinstance(other, Card):
            return NotImplemented
        return self.rank == other.rank and self.suit == other.suit

    def __lt__(self, other):
        return Card.RANKS.index(self.rank) < Card.RANKS.index(other.rank)

    def __hash__(self):
        return hash((self.rank, self.suit))

    def __repr__(self):
        return self.rank + self.suit


class Countdown:
    def __init__(self, start):
        self.current = start

    def __iter__(self):
        return self

    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1


class Playlist:
    def __init__(self, *songs):
        self.songs = list(songs)

    def __len__(self):
        return len(self.songs)

    def __getitem__(self, i):
        return self.songs[i]

    def __contains__(self, song):
        return song in self.songs

    def __iter__(self):
        yield from self.songs


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        print("timer started")
        return self

    def __exit__(self, exc_type, exc, tb):
        print("timer stopped", exc_type.__name__ if exc_type else None)
        return exc_type is ZeroDivisionError


class CallCounter:
    def __init__(self, func):
        self.func = func
        self.calls = 0

    def __call__(self, *args):
        self.calls += 1
        return self.func(*args)


class Vector:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __add__(self, other):
        return Vector(self.x + other.x, self.y + other.y)

    def __mul__(self, k):
        return Vector(self.x * k, self.y * k)

    __rmul__ = __mul__

    def __neg__(self):
        return Vector(-self.x, -self.y)

    def __bool__(self):
        return bool(self.x or self.y)

    def __repr__(self):
        return f"Vector({self.x}, {self.y})"


class Worker(threading.Thread):
    def __init__(self, n, results):
        super().__init__(name=f"worker-{n}")
        self.n = n
        self.results = results

    def run(self):
        time.sleep(0.01 * self.n)
        self.results.append((self.name, self.n * self.n))


class CountingQueue(queue.Queue):
    def __init__(self):
        super().__init__()
        self.count = 0

    def put(self, item):
        self.count += 1
        super().put(item)


class Kitchen:
    def __init__(self, name):
        self.name = name
        self.log = []

    async def cook(self, dish, minutes):
        await asyncio.sleep(minutes / 100)
        self.log.append(dish)
        return f"{dish} from {self.name}"

    async def serve(self):
        return await asyncio.gather(self.cook("soup", 3), self.cook("salad", 1))


def square(x):
    return x * x


if __name__ == "__main__":
    a = BankAccount("Ada", 100)
    b = SavingsAccount("Bob", 50)
    print(a, repr(a), b, repr(b))
    print(a.deposit(25).balance, BankAccount.validate(-5), BankAccount.accounts)
    try:
        a.balance = -1
    except ValueError as e:
        print("refused:", e)
    b.add_interest()
    print(b.balance, b.interest_rate, a.interest_rate, SavingsAccount.interest_rate)
    j = BankAccount.joint(a, b)
    print(j, type(j).__name__, isinstance(b, BankAccount), issubclass(SavingsAccount, BankAccount))
    print(BankAccount.__doc__, SavingsAccount.__mro__)
    print(isinstance(a, SavingsAccount), type(b) is SavingsAccount, BankAccount.accounts)

    try:
        raise InsufficientFunds(200, a.balance)
    except InsufficientFunds as e:
        print("caught:", e, e.needed, e.available, e.args)
    try:
        raise InsufficientFunds(1, 0)
    except Exception as e:
        print(type(e).__name__, repr(e), isinstance(e, InsufficientFunds))

    hand = [Card("K", "s"), Card("3", "h"), Card("A", "d"), Card("9", "c")]
    print(sorted(hand), max(hand), min(hand), Card("A", "d") in hand)
    print(hand.index(Card("9", "c")), Card("K", "s") == Card("K", "s"), Card("K", "s") != hand[1])
    hand.sort(reverse=True)
    print(hand)

    print(list(Countdown(3)), [n * 2 for n in Countdown(4)], sum(Countdown(5)))
    p = Playlist("intro", "verse", "chorus")
    print(len(p), p[1], p[-1], "verse" in p, "bridge" in p, list(p), p[0:2])
    for i, song in enumerate(p):
        print(i, song)

    with Timer() as t:
        print("working", type(t).__name__)
    with Timer():
        print(1 / 0)
    print("suppressed")

    counted = CallCounter(square)
    print(counted(3), counted(4), counted.calls, callable(counted), callable(a))

    v = Vector(1, 2) + Vector(3, 4)
    print(v, v * 2, 3 * v, -v, bool(Vector(0, 0)), bool(v))
    if v:
        print("non-zero vector")
    v += Vector(1, 1)
    print(v, getattr(v, "x"), hasattr(v, "z"), getattr(v, "z", "none"))
    setattr(v, "z", 9)
    print(v.z, sorted(vars(v)), [n for n in dir(v) if not n.startswith("_")])

    results = []
    workers = [Worker(n, results) for n in (3, 1, 2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(results, [w.is_alive() for w in workers], workers[0].name)

    q = CountingQueue()
    for item in ("a", "b", "c"):
        q.put(item)
    print(q.count, [q.get() for _ in range(3)], q.empty(), isinstance(q, queue.Queue))

    k = Kitchen("Luigi's")
    print(asyncio.run(k.serve()), k.log)
