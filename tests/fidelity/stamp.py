"""Runs a Python program under real CPython and stamps each line it prints with the time.

    python3 tests/fidelity/stamp.py PROGRAM.py

Writes every line PROGRAM printed to stdout as

    <seconds since the program started, 3 decimals>\t<text>

in time order: the same format as `kitchen run PROGRAM.py`, so `tests/fidelity.rs` can compare
the two. The program's own exit status is kept (an uncaught exception prints its traceback on
stderr and exits 1); the lines printed before it are still written.

How it works, and why this way:

- `builtins.print` is replaced before the program runs as `__main__` (`runpy.run_path`). Threads
  share the builtins, and child processes are forked (the start method is forced to `fork`,
  which is Linux's default before Python 3.14), so they inherit the patched `print` and the
  same start time. `time.perf_counter()` is CLOCK_MONOTONIC on Linux: one clock for every
  process on the machine, so stamps from parent and children compare.
- Each `print` call takes the time, formats its line(s) and appends them with a single
  `os.write` to a log file opened with O_APPEND. An append of a few bytes is atomic, so lines
  from threads and processes never mix, and nothing sits in a buffer: a forked child leaves
  with `os._exit`, which would drop buffered output. A file needs no reader while the program
  runs; a pipe would need a reader thread in this process, competing with the program for
  the GIL and distorting the very timings being measured.
- When the program is over (after `threading` joined its threads and `multiprocessing` its
  children, at exit), this process reads the log and writes the lines sorted by time. The sort
  is stable and only matters when a thread or process was preempted between taking the time
  and writing its line; lines with equal stamps keep the order they were written in.
- The modules the programs use (asyncio, threading, multiprocessing, concurrent.futures,
  random) are imported before the clock starts: the simulated clock does not model import
  time, and these imports cost tens of milliseconds.

- The CPU time the program used, its own and its children's (every thread and process it
  started, `getrusage`), from the start to the end of the run, is written to stderr as
  `stamp.py: cpu <seconds>`. Children count once they have been waited for: at exit, after
  `multiprocessing` joined them. The probes' own forks fall outside that stretch.

- The machine's speed is probed just before the program starts and again after it has ended:
  the mean of ten short runs of the loop `kitchen calibrate` times for `for_iteration_s`
  (`for i in range(n): total += i * i`), in seconds per turn, written to stderr as
  `stamp.py: probe <before> <after> <before, all cores> <after, all cores> <fork before>
  <fork after>`; the fork probes are the median CPU time the parent spends in `os.fork()` (and
  reaping the child), which is most of what `Process.start()` costs and which moved on its
  own (twice as dear for a while after a long build, while loops ran at full speed).
  `python3 stamp.py --probe` prints the probe line alone. The all-core probes
  run the probe on every core at once (one forked process per core), the speed a program
  whose processes keep all cores busy gets: on a virtual machine, a core can be taken away
  for a while, which only a probe on all cores sees. A virtual machine's speed changes in
  phases that can
  last minutes; `tests/fidelity.rs` scales the calibrated profile to the phase the run was in.

`print(..., file=f)` for another file than stdout goes to the real `print` unstamped. A call
whose text has several lines stamps each with the same time; `end=""` still ends the line.
"""

import atexit
import builtins
import os
import resource
import runpy
import struct
import sys
import time
import traceback

START = None
LOG_FD = None
PARENT_PID = os.getpid()
REAL_PRINT = builtins.print


def stamped_print(*args, sep=" ", end="\n", file=None, flush=False):
    if file is not None and file is not sys.stdout:
        return REAL_PRINT(*args, sep=sep, end=end, file=file, flush=flush)
    t = time.perf_counter() - START
    sep = " " if sep is None else sep
    end = "\n" if end is None else end
    text = sep.join(str(a) for a in args) + end
    if text.endswith("\n"):
        text = text[:-1]
    data = "".join(f"{t:.9f}\t{line}\n" for line in text.split("\n")).encode()
    written = os.write(LOG_FD, data)
    if written != len(data):
        raise OSError(f"stamp.py: short write to the log ({written} of {len(data)} bytes)")


def probe_loop(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def probe(n=100_000, tries=10):
    """Seconds per turn of the probe loop: the mean of `tries` runs, as `kitchen calibrate`
    measures it."""
    t = time.thread_time()
    for _ in range(tries):
        probe_loop(n)
    return (time.thread_time() - t) / tries / n


def probe_all_cores():
    """The probe on every core at once: the mean of one forked process per core."""
    n = os.cpu_count() or 1
    r, w = os.pipe()
    children = []
    for _ in range(n - 1):
        pid = os.fork()
        if pid == 0:
            try:
                os.write(w, struct.pack("d", probe()))
            finally:
                os._exit(0)
        children.append(pid)
    results = [probe()]
    for _ in children:
        results.append(struct.unpack("d", os.read(r, 8))[0])
    for pid in children:
        os.waitpid(pid, 0)
    os.close(r)
    os.close(w)
    return sum(results) / len(results)


def probe_fork(tries=9):
    """Median CPU seconds the parent spends forking a child that exits at once, and reaping it."""
    times = []
    for _ in range(tries):
        t = time.thread_time()
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        times.append(time.thread_time() - t)
    times.sort()
    return times[tries // 2]


def probe_line(before, before_all, before_fork):
    """The probe line: the probes given (taken before the program) and fresh ones (after)."""
    after, after_all, after_fork = probe(), probe_all_cores(), probe_fork()
    return (
        f"stamp.py: probe {before:.4e} {after:.4e} {before_all:.4e} {after_all:.4e} "
        f"{before_fork:.4e} {after_fork:.4e}\n"
    )


PROBE_BEFORE = None
CPU_AT_START = None
PROBE_BEFORE_ALL = None
PROBE_BEFORE_FORK = None


def cpu_seconds():
    """CPU seconds used so far by this process (all its threads) and its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def emit(read_fd):
    """Writes the logged lines, sorted by time, to stdout (in the original process only)."""
    if os.getpid() != PARENT_PID:
        return
    sys.stderr.write(f"stamp.py: cpu {cpu_seconds() - CPU_AT_START:.6f}\n")
    sys.stderr.write(probe_line(PROBE_BEFORE, PROBE_BEFORE_ALL, PROBE_BEFORE_FORK))
    sys.stderr.flush()
    chunks = []
    while True:
        chunk = os.read(read_fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    lines = []
    for raw in b"".join(chunks).decode().splitlines():
        stamp, _, text = raw.partition("\t")
        lines.append((float(stamp), text))
    lines.sort(key=lambda line: line[0])  # stable: ties keep the order of writing
    out = "".join(f"{t:.3f}\t{text}\n" for t, text in lines)
    sys.stdout.write(out)
    sys.stdout.flush()


def main():
    global START, LOG_FD, PROBE_BEFORE, PROBE_BEFORE_ALL, PROBE_BEFORE_FORK, CPU_AT_START
    if sys.argv[1:] == ["--probe"]:
        # The same modules as before a program: a fork's cost grows with the forking process.
        import asyncio  # noqa: F401
        import concurrent.futures.process  # noqa: F401
        import concurrent.futures.thread  # noqa: F401
        import multiprocessing  # noqa: F401
        import random  # noqa: F401
        import threading  # noqa: F401

        probe_loop(1000)
        sys.stderr.write(probe_line(probe(), probe_all_cores(), probe_fork()))
        return
    if len(sys.argv) != 2:
        sys.exit("usage: python3 stamp.py PROGRAM.py")
    path = os.path.abspath(sys.argv[1])
    if not os.path.isfile(path):
        sys.exit(f"stamp.py: no such program: {path}")

    # The log: written with O_APPEND, read back at exit, unlinked at once so that nothing is
    # left behind even if the run is killed.
    import tempfile

    fd, log_path = tempfile.mkstemp(prefix="stamp-", suffix=".log")
    os.close(fd)
    LOG_FD = os.open(log_path, os.O_WRONLY | os.O_APPEND)
    read_fd = os.open(log_path, os.O_RDONLY)
    os.unlink(log_path)

    # Registered before multiprocessing is imported: atexit runs handlers last-in first-out,
    # so this one runs after multiprocessing's own exit handler has joined the children.
    # (threading joins non-daemon threads, executor workers included, before any atexit
    # handler runs.)
    atexit.register(emit, read_fd)

    import asyncio  # noqa: F401
    import concurrent.futures  # noqa: F401
    import concurrent.futures.process  # noqa: F401
    import concurrent.futures.thread  # noqa: F401
    import multiprocessing
    import random  # noqa: F401
    import threading  # noqa: F401

    multiprocessing.set_start_method("fork")

    sys.argv = [path]
    sys.path.insert(0, os.path.dirname(path))
    probe_loop(1000)  # let CPython specialise the loop first
    PROBE_BEFORE = probe()
    PROBE_BEFORE_ALL = probe_all_cores()
    PROBE_BEFORE_FORK = probe_fork()
    builtins.print = stamped_print
    CPU_AT_START = cpu_seconds()
    START = time.perf_counter()
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit:
        raise
    except BaseException:  # the program's uncaught exception: report it like python3 does
        if os.getpid() != PARENT_PID:
            raise
        kind, error, tb = sys.exc_info()
        while tb is not None and tb.tb_frame.f_code.co_filename != path:
            tb = tb.tb_next  # leave out stamp.py's and runpy's frames
        traceback.print_exception(kind, error, tb)
        sys.exit(1)


if __name__ == "__main__":
    main()
