#!/usr/bin/env python3
"""Measures what CPython charges for the object model: the CPU time of one statement in a
loop, minus the loop's own, the lowest of 15 runs, three rounds printed side by side (the
machine is shared: take the lower figures). src/python/runtime/object_costs.rs turns them into
the kitchen's extra operations.

    python3 scripts/measure-class-costs.py
"""
import time

SETUP = '''
from dataclasses import dataclass
import functools
class E: pass
class P0:
    def __init__(self): pass
class P:
    k = 1
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __eq__(self, o): return True
    def __lt__(self, o): return True
    def __str__(self): return "p"
    def __len__(self): return 1
    def __getitem__(self, i): return i
    def __call__(self): return None
    def __enter__(self): return self
    def __exit__(self, *a): return False
    @property
    def px(self): return self.x
    @staticmethod
    def s(): return None
    @classmethod
    def c(cls): return None
    def m(self): return None
class S(P):
    def __init__(self, x, y):
        super().__init__(x, y)
def f(): return None
o = P(1, 2)
'''

STATEMENTS = {
    "call f()": "f()",
    "o.m()": "o.m()",
    "y = o.x": "y = o.x",
    "y = o.k": "y = o.k",
    "y = o.px": "y = o.px",
    "E()": "E()",
    "P0()": "P0()",
    "P(1, 2)": "P(1, 2)",
    "S(1, 2)": "S(1, 2)",
    "o == o": "o == o",
    "str(o)": "str(o)",
    "len(o)": "len(o)",
    "o[1]": "o[1]",
    "o()": "o()",
    "with o": "with o:\n    pass",
    "P.s()": "P.s()",
    "P.c()": "P.c()",
    "class A": "class A:\n    def m(self): pass",
    "@dataclass (2 fields)": "@dataclass\nclass D:\n    x: int\n    y: int = 0",
}


def make(stmt, n):
    body = "\n".join("        " + line for line in stmt.split("\n"))
    code = (
        "def _t(o=o, P=P, f=f, E=E, P0=P0, S=S, dataclass=dataclass):\n"
        f"    for _ in range({n}):\n{body}\n"
    )
    ns = {}
    exec(SETUP, ns)
    exec(code, ns)
    return ns["_t"]


def best(t, n, rounds=15):
    low = float("inf")
    for _ in range(rounds):
        start = time.thread_time_ns()
        t()
        low = min(low, time.thread_time_ns() - start)
    return low / n


for label, stmt in STATEMENTS.items():
    n = 2000 if "class" in stmt else 50000
    per = [best(make(stmt, n), n) - best(make("pass", n), n) for _ in range(3)]
    print(f"{label:24s} " + " ".join(f"{x:10.1f} ns" for x in per))
