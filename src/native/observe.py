"""Observes a program under real CPython, for `kitchen measure --python`.

    python3 -c "$(cat observe.py)" LOG PROGRAM.py

Runs PROGRAM as __main__ and appends what can be seen from inside, without a profiler, to LOG,
one JSON object a line (read by the kitchen's `trace_io::observed`):

- `begin` and `end`: the program's start and end (after threading joined its threads and
  multiprocessing its children), with the process's resident set;
- `print`: each line the program printed (`builtins.print` is replaced; the text is not
  printed);
- `thread`: a thread's life, from the start to the end of `Thread.run`;
- `process`: a child process's life, from the start to the end of `Process.run`, in the
  child, with its resident set at both ends (`memory` at the start);
- `call`: a `time.sleep`, a `Thread.start` / `Process.start` (with the new thread or
  process), a `Thread.join` / `Process.join`, with their start and end.

Times are nanoseconds since the program started, from `time.perf_counter_ns()`, which is
CLOCK_MONOTONIC on Linux: one clock for every process, so a forked child's stamps compare
with its parent's. Each record is one `os.write` to LOG, opened with O_APPEND: a short append
is atomic, so records of threads and processes never mix, and nothing waits in a buffer when
a forked child leaves with `os._exit`. The GIL cannot be seen from Python: who held it is
not recorded. The modules programs use are imported before the clock starts (their import
is not the program's time), and child processes are forked, which is Linux's default.
"""

import atexit
import builtins
import json
import os
import runpy
import sys
import threading
import time

LOG = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
PROGRAM = os.path.abspath(sys.argv[2])
MAIN_PID = os.getpid()
REAL_PRINT = builtins.print
START = None


def now():
    return time.perf_counter_ns() - START


def here():
    return {"pid": os.getpid(), "tid": threading.get_native_id()}


def log(record):
    os.write(LOG, (json.dumps(record) + "\n").encode())


def resident():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def observed_print(*args, sep=" ", end="\n", file=None, flush=False):
    if file is not None and file is not sys.stdout:
        return REAL_PRINT(*args, sep=sep, end=end, file=file, flush=flush)
    text = (" " if sep is None else sep).join(str(a) for a in args)
    t = now()
    for line in text.split("\n"):
        log({"k": "print", "t": t, **here(), "text": line})


def observed_call(what, label, real, child=None):
    """`real`, with each call logged as a `call` record."""

    def wrapper(*args, **kwargs):
        t0 = now()
        try:
            return real(*args, **kwargs)
        finally:
            record = {"k": "call", "what": what, "label": label(args), "t0": t0, "t1": now()}
            if child is not None:
                record.update(child(args))
            log({**record, **here()})

    return wrapper


def observe_threads():
    real_run = threading.Thread.run

    def run(self):
        t0 = now()
        target = getattr(getattr(self, "_target", None), "__name__", "")
        try:
            real_run(self)
        finally:
            log({"k": "thread", "name": self.name, "target": target, "t0": t0, "t1": now(), **here()})

    threading.Thread.run = run
    threading.Thread.start = observed_call(
        "start", lambda a: f"start {a[0].name}", threading.Thread.start,
        child=lambda a: {"child_tid": a[0].native_id},
    )
    threading.Thread.join = observed_call(
        "join", lambda a: f"{a[0].name}.join()", threading.Thread.join
    )
    time.sleep = observed_call("sleep", lambda a: f"time.sleep({a[0] if a else ''})", time.sleep)


def observe_processes():
    import multiprocessing.process

    base = multiprocessing.process.BaseProcess
    real_run = base.run

    def run(self):
        t0 = now()
        log({"k": "memory", "t": t0, "pid": os.getpid(), "bytes": resident()})
        try:
            real_run(self)
        finally:
            log({"k": "process", "name": self.name, "t0": t0, "t1": now(), **here(), "rss": resident()})

    base.run = run
    base.start = observed_call(
        "start", lambda a: f"start {a[0].name}", base.start, child=lambda a: {"child": a[0].pid}
    )
    base.join = observed_call("join", lambda a: f"{a[0].name}.join()", base.join)


def finish():
    if os.getpid() == MAIN_PID:
        log({"k": "end", "t": now(), **here(), "rss": resident()})


def main():
    global START
    # Registered before multiprocessing is imported: atexit runs handlers last-in first-out,
    # so this one runs after multiprocessing's own has joined the children.
    atexit.register(finish)
    import asyncio  # noqa: F401
    import concurrent.futures  # noqa: F401
    import concurrent.futures.process  # noqa: F401
    import concurrent.futures.thread  # noqa: F401
    import multiprocessing
    import random  # noqa: F401

    multiprocessing.set_start_method("fork")
    observe_threads()
    observe_processes()
    builtins.print = observed_print
    sys.argv = [PROGRAM]
    sys.path.insert(0, os.path.dirname(PROGRAM))
    START = time.perf_counter_ns()
    log({"k": "begin", "t": 0, **here(), "rss": resident()})
    runpy.run_path(PROGRAM, run_name="__main__")


main()
