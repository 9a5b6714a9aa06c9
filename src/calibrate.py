"""Measures what concurrent code costs in this CPython on this machine.

`kitchen calibrate` runs this script (embedded in the binary) with `python3 -c`; it can also
be run directly:

    python3 src/calibrate.py

It prints one JSON object to stdout and progress to stderr:

    {"python": "CPython 3.11.7", "platform": "...",
     "measured": {"cores": 2, "loop_iteration_s": 5.7e-08, ...},
     "notes": ["..."]}

`measured` holds fields of the kitchen's machine profile (src/core/profile.rs); a field that
could not be measured here is left out, and the profile keeps its default for it, with a note
saying why. Every value is finite and not negative.

Methods (see each function):
- CPU-bound micro-benchmarks (loops, pickling) take the mean of many short tries (about
  10 ms each), the three loop benchmarks interleaved over about a second: the speed a program
  that computes for a while gets. On a quiet machine that is also the fastest try. On a
  virtual machine it is not: on the 2-core machines this project is built on, a loop turn
  took about 43 or about 70 ns from one 10 ms try to the next (the host's other guests), and
  a program computing for half a second ran at the mix of both, 20-30 % slower than the
  fastest try. The minimum would describe a machine no long program ever gets.
- Costs involving the OS (starting threads, pipes, asyncio) take the median. Process starts
  take lower quartiles, which a busy machine's slow starts do not move (see process_costs).
- CPU costs are timed in the timing thread's own CPU time (`time.thread_time`), so other
  processes on a busy machine do not inflate them: on a loaded 2-core machine the wall-clock
  median of a fork was 3 to 5 times its CPU time. Costs that include waiting (a thread start,
  a pipe's latency) are timed on the wall clock, `time.perf_counter`. A child's boot is its
  own CPU time when its target begins (`time.process_time`, zero at fork).
- The garbage collector is off while timing.
- The whole run takes about 5 s; every wait on a child process has a deadline, and
  children exit by themselves if this script dies.
"""
import asyncio
import dis
import gc
import json
import multiprocessing as mp
import os
import pickle
import platform
import select
import statistics
import struct
import subprocess
import sys
import threading
import time

perf = time.perf_counter
# The calling thread's CPU time; the wall clock where a platform lacks it.
try:
    time.thread_time()
    cpu = time.thread_time
except (AttributeError, OSError):
    cpu = time.perf_counter

# Seconds any single wait on a child process may take before the measurement is given up.
DEADLINE_S = 10.0


def progress(text):
    print(f"calibrate: {text}", file=sys.stderr, flush=True)


def best_of(fn, tries):
    return min(fn() for _ in range(tries))


def median_of(fn, tries):
    return statistics.median(fn() for _ in range(tries))


# --- memory (Linux /proc only) -------------------------------------------------------------


def rss_bytes(pid="self"):
    """Resident memory of a process, or None where /proc is missing."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def base_memory():
    """Resident memory of a fresh interpreter of this Python that has run nothing yet.

    Measured in a new process, since this one has already imported asyncio and friends
    (asyncio alone adds a few MiB, mostly `ssl`). None where /proc or the executable is
    missing.
    """
    if not sys.executable or rss_bytes() is None:
        return None
    code = "import sys; sys.stdout.write(open('/proc/self/status').read())"
    out = subprocess.run(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        timeout=DEADLINE_S,
        check=True,
        universal_newlines=True,
    ).stdout
    for line in out.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return None


def private_bytes(pid):
    """Memory a process owns alone (Private_Clean + Private_Dirty), or None."""
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    total += int(line.split()[1]) * 1024
    except OSError:
        return None
    return total


# --- the interpreter's speed ----------------------------------------------------------------


# Rounds of the interleaved loop benchmarks, and tries of the others (see the module doc).
ROUNDS = 40
TRIES = 25


def mean_of(fn, tries):
    return statistics.fmean(fn() for _ in range(tries))


def timed_per_turn(loop, n):
    """A function timing one run of `loop(n)`: CPU seconds per turn."""

    def once():
        t = cpu()
        loop(n)
        return (cpu() - t) / n

    return once


def sum_loop(n):
    return sum(i * i for i in range(n))


def for_loop(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def ops_loop(n):
    # No branch in the body: every instruction between FOR_ITER and the jump back runs once
    # per turn, so counting them in the bytecode counts the instructions executed.
    total = 0
    for i in range(n):
        a = i + 1
        b = a * 2
        c = b - i
        total += c
    return total


def loop_instructions(code):
    """Bytecode instructions of one turn of the single `for` loop in `code`, or None.

    Counted with `dis` from FOR_ITER to the jump back to it, both included. CPython 3.11+
    hides inline CACHE entries from `dis` (they are data, not instructions) and shows a
    superinstruction (3.13's LOAD_FAST_LOAD_FAST) as one. The count is exact up to one:
    3.11's specialised FOR_ITER_RANGE also does the STORE_FAST that follows it.
    """
    ins = list(dis.get_instructions(code))
    heads = [i for i in ins if i.opname.startswith("FOR_ITER")]
    if len(heads) != 1:
        return None
    start = heads[0].offset
    backs = [
        i
        for i in ins
        if i.opname.startswith("JUMP") and i.argval == start and i.offset > start
    ]
    if len(backs) != 1:
        return None
    end = backs[0].offset
    return sum(1 for i in ins if start <= i.offset <= end)


def interpreter_speed(n=200_000):
    """CPU time of one turn of three loops, the mean of interleaved tries.

    - `loop_iteration_s`: `sum(i * i for i in range(n))`, the kitchen's CPU step;
    - `for_iteration_s`: `for i in range(n): total += i * i` inside a function;
    - `op_s`: one interpreted bytecode instruction: a branch-free loop's turn over its
      instructions. That loop mixes what plain Python code does most (loading and storing
      locals and constants, integer arithmetic, the loop's own FOR_ITER and jump), so the
      result is an average instruction, not the cheapest or the dearest.

    Interleaving puts the three into the same phases of a machine whose speed changes, so
    their ratios hold even when the absolute speed does not. Returns the three costs (op_s
    None when `dis` could not count the loop's instructions) and that count.
    """
    count = loop_instructions(ops_loop.__code__)
    benchmarks = {
        "loop_iteration_s": timed_per_turn(sum_loop, n),
        "for_iteration_s": timed_per_turn(for_loop, n),
        "op_s": timed_per_turn(ops_loop, n // 2),
    }
    for loop in (sum_loop, for_loop, ops_loop):
        loop(1000)  # let CPython 3.11+ specialise the loops' instructions first
    times = {field: [] for field in benchmarks}
    for _ in range(ROUNDS):
        for field, once in benchmarks.items():
            times[field].append(once())
    costs = {field: statistics.fmean(t) for field, t in times.items()}
    costs["op_s"] = costs["op_s"] / count if count else None
    return costs, count


# --- threads --------------------------------------------------------------------------------


def thread_costs(rounds=5, n=100):
    """Thread.start() as the starter pays it, and the memory one more thread takes.

    Each round starts `n` threads that wait on an Event, timing only the start() calls
    (start() returns once the new thread runs). Memory is the growth of this process's
    resident set over the first round only: later rounds reuse the stacks the C library
    keeps from exited threads, so they would not show a new thread's pages.
    """
    starts, memory = [], None
    for r in range(rounds):
        stop = threading.Event()
        threads = [threading.Thread(target=stop.wait, daemon=True) for _ in range(n)]
        before = rss_bytes()
        t = perf()
        for th in threads:
            th.start()
        took = perf() - t
        after = rss_bytes()
        stop.set()
        for th in threads:
            th.join()
        starts.append(took / n)
        if r == 0 and before is not None and after is not None:
            memory = max(0, after - before) // n
    return statistics.median(starts), memory


# --- asyncio --------------------------------------------------------------------------------


def task_step(n=10_000):
    """One asyncio step: `gather` of n tasks that each `await asyncio.sleep(0)` once.

    Each task is created and scheduled, runs to its sleep(0), is resumed and finishes: two
    steps of the event loop per task (gather's bookkeeping is shared among them).
    """

    async def nothing():
        await asyncio.sleep(0)

    async def main():
        t = cpu()
        await asyncio.gather(*(nothing() for _ in range(n)))
        return cpu() - t

    return median_of(lambda: asyncio.run(main()), 5) / (2 * n)


# --- pickling -------------------------------------------------------------------------------


def pickle_costs(k=5_000, big_n=50_000):
    """pickle.dumps + pickle.loads of a small argument, and the extra per pickled byte.

    The small argument is `(3, 10000)`, what a Pool.map call sends per item; the big one a
    list of `big_n` ints, the common shape of a large argument (a list of ints pickles to
    about 5 bytes per item; raw `bytes` would be far cheaper per byte, a copy).
    """
    proto = pickle.HIGHEST_PROTOCOL
    dumps, loads = pickle.dumps, pickle.loads
    small = (3, 10000)

    def small_once():
        t = cpu()
        for _ in range(k):
            loads(dumps(small, proto))
        return (cpu() - t) / k

    big = list(range(big_n))

    def big_once():
        t = cpu()
        loads(dumps(big, proto))
        return cpu() - t

    small_s = mean_of(small_once, TRIES)
    big_s = mean_of(big_once, TRIES)
    extra_bytes = len(dumps(big, proto)) - len(dumps(small, proto))
    return small_s, max(0.0, big_s - small_s) / extra_bytes


# --- processes ------------------------------------------------------------------------------


def wait_readable(fd, deadline):
    left = deadline - perf()
    return left > 0 and bool(select.select([fd], [], [], left)[0])


def read_exact(fd, size, deadline):
    """`size` bytes from fd, or None if they do not arrive before the deadline."""
    data = b""
    while len(data) < size:
        if not wait_readable(fd, deadline):
            return None
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def waiting_child(go_fd, result_fd, parent):
    """A forked child: report the CPU time its boot took, then wait for a byte on go_fd.

    go_fd is non-blocking and shared by all children; each takes one byte. A child also
    leaves if the parent is gone or after DEADLINE_S, so none outlives a killed parent.
    """
    os.write(result_fd, struct.pack("d", time.process_time()))
    end = perf() + DEADLINE_S
    while perf() < end and os.getppid() == parent:
        if select.select([go_fd], [], [], 0.2)[0]:
            try:
                if os.read(go_fd, 1):
                    return
            except BlockingIOError:
                pass  # another child took the byte


def poll_time(calls=100):
    """CPU time of `multiprocessing.active_children()`, which polls every live child."""
    t = cpu()
    for _ in range(calls):
        mp.active_children()
    return (cpu() - t) / calls


def lower_quartile(values):
    return sorted(values)[len(values) // 4]


def process_costs(ctx, rounds=4, n=100):
    """Process.start() with fork, its growth per live child, a child's boot and memory.

    Each round forks `n` children that wait, timing each start() in CPU time, one at a time:
    each child reports its boot before the next is started, so that no start competes with
    a booting child for the CPU (the simulation adds that competition itself). The k-th
    start finds k earlier children still running, and a start costs more the more there
    are: Process.start() first polls every live child (`multiprocessing.process._cleanup()`,
    a `waitpid` each), and fork copies a file-descriptor table that holds a sentinel pipe
    per child. The growth per live child used is the polling alone, timed with `n` children
    and with none through the public `active_children()`, which polls the same way. The
    slope of the start times themselves is not used: on the 2-core virtual machines this
    project is built on it varied from 2 to 10 µs per child between calibrations (noise of
    hundreds of µs against a growth of 100-300 µs over 100 children), and it made 200
    process starts cost twice what CPython paid for them, whose CPU time grew by 0 to 3 µs
    per live child, the size of the polling.
    A start with no children is the first quarter's lower quartile less the growth for its
    mean count of live children. A child's boot is its own CPU time when its target begins;
    its memory is what it owns alone (Private_Clean + Private_Dirty) once booted, read for
    the first few children. The children hold about `n` times that memory for a moment.
    """
    firsts, polls, boots, memory = [], [], [], []
    parent = os.getpid()
    q = n // 4
    for _ in range(rounds):
        gc.collect()
        go_r, go_w = os.pipe()
        res_r, res_w = os.pipe()
        os.set_blocking(go_r, False)
        procs = [
            ctx.Process(target=waiting_child, args=(go_r, res_w, parent), daemon=True)
            for _ in range(n)
        ]
        times = []
        try:
            for p in procs:
                t = cpu()
                p.start()
                times.append(cpu() - t)
                data = read_exact(res_r, 8, perf() + DEADLINE_S)
                if data is None:
                    raise RuntimeError("a forked child did not report back in time")
                boots += struct.unpack("d", data)
            for p in procs[:8]:
                private = private_bytes(p.pid)
                if private is not None:
                    memory.append(private)
            busy = poll_time()
        finally:
            os.write(go_w, b"x" * n)
            for p in procs:
                p.join(DEADLINE_S)
            for fd in (go_r, go_w, res_r, res_w):
                os.close(fd)
        polls.append((busy - poll_time()) / n)
        firsts.append(lower_quartile(times[:q]))
    per_child = max(0.0, statistics.median(polls))
    return {
        "process_start_s": max(0.0, statistics.median(firsts) - per_child * (q - 1) / 2),
        "child_poll_s": per_child,
        "process_boot_s": statistics.median(boots),
        "process_memory_bytes": int(statistics.median(memory)) if memory else None,
    }


def quitting_child(result_fd):
    """A forked child: report the CPU time its boot took, and end at once."""
    os.write(result_fd, struct.pack("d", time.process_time()))


def children_cpu():
    """CPU seconds of this process's children that have been waited for."""
    import resource  # Unix only, like fork, which every caller needs

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def process_exit(ctx, n=30):
    """CPU time a process spends ending: its whole CPU time, less its boot.

    One child at a time is started and joined, so the children's CPU time
    (`getrusage(RUSAGE_CHILDREN)`, counted when a child is reaped) grows by exactly one
    child's: its boot (reported as in process_costs), its empty target, and its end:
    multiprocessing's exit handlers, flushing, and the kernel tearing down its copy of the
    parent's memory. The median over `n` children, less their median boot.
    """
    exits = []
    res_r, res_w = os.pipe()
    try:
        for _ in range(n):
            before = children_cpu()
            p = ctx.Process(target=quitting_child, args=(res_w,), daemon=True)
            p.start()
            data = read_exact(res_r, 8, perf() + DEADLINE_S)
            p.join(DEADLINE_S)
            if data is None or p.exitcode is None:
                raise RuntimeError("a forked child did not end in time")
            exits.append(children_cpu() - before - struct.unpack("d", data)[0])
    finally:
        os.close(res_r)
        os.close(res_w)
    return max(0.0, statistics.median(exits))


def echo_child(conn, other):
    other.close()
    try:
        while True:
            msg = conn.recv_bytes()
            if not msg:
                return
            conn.send_bytes(msg)
    except (EOFError, OSError):
        return


def ipc_time(ctx, rounds=5, k=500):
    """One-way latency of a small message through multiprocessing.Pipe between processes.

    A ping-pong of 16 raw bytes (send_bytes/recv_bytes: no pickling) with a forked echo
    child; half a round trip is one message, including the wake-up of the reader.
    """
    mine, theirs = ctx.Pipe()
    child = ctx.Process(target=echo_child, args=(theirs, mine), daemon=True)
    child.start()
    theirs.close()
    msg = b"x" * 16

    def once():
        t = perf()
        for _ in range(k):
            mine.send_bytes(msg)
            if not mine.poll(DEADLINE_S):
                raise RuntimeError("the echo process did not answer in time")
            mine.recv_bytes()
        return (perf() - t) / k / 2

    try:
        once()  # warm up: both processes running, caches filled
        return median_of(once, rounds)
    finally:
        mine.send_bytes(b"")
        mine.close()
        child.join(DEADLINE_S)


# --- the whole calibration ------------------------------------------------------------------


def main():
    measured, notes = {}, []

    def attempt(what, fn):
        """Runs one measurement; a failure becomes a note and the defaults stay."""
        progress(what)
        gc.collect()
        try:
            return fn()
        except Exception as e:  # noqa: BLE001 - any failure only loses this measurement
            notes.append(f"{what} failed ({type(e).__name__}: {e}); defaults kept")
            return None

    if platform.python_implementation() != "CPython":
        notes.append(
            f"{platform.python_implementation()} is not CPython: the kitchen simulates "
            "CPython, so these costs may mislead"
        )
    measured["cores"] = os.cpu_count() or 1
    measured["switch_interval_s"] = sys.getswitchinterval()
    base = attempt("a fresh interpreter's memory", base_memory)
    if base is not None:
        measured["base_memory_bytes"] = base
    gc.disable()
    try:
        threads = attempt("thread start and memory", thread_costs)
        if threads:
            measured["thread_start_s"] = threads[0]
            if threads[1] is not None:
                measured["thread_memory_bytes"] = threads[1]
        speed = attempt("loop turns and bytecode instructions", interpreter_speed)
        if speed:
            costs, count = speed
            measured.update((k, v) for k, v in costs.items() if v is not None)
            if count:
                notes.append(f"op_s: the timed loop runs {count} bytecode instructions a turn")
            else:
                notes.append("op_s: could not count the loop's instructions with dis; default kept")
        step = attempt("asyncio task steps", task_step)
        if step is not None:
            measured["task_step_s"] = step
        pickles = attempt("pickling", pickle_costs)
        if pickles:
            measured["pickle_s"], measured["pickle_byte_s"] = pickles
        if "fork" in mp.get_all_start_methods():
            ctx = mp.get_context("fork")
            procs = attempt("process start, polling, boot and memory", lambda: process_costs(ctx))
            if procs:
                measured.update((k, v) for k, v in procs.items() if v is not None)
            ending = attempt("process exit", lambda: process_exit(ctx))
            if ending is not None:
                measured["process_exit_s"] = ending
            ipc = attempt("pipe latency between processes", lambda: ipc_time(ctx))
            if ipc is not None:
                measured["ipc_s"] = ipc
        else:
            notes.append("fork is not available here: process costs keep their defaults")
    finally:
        gc.enable()
    if rss_bytes() is None:
        notes.append("no /proc here: memory sizes keep their defaults")
    for field, value in list(measured.items()):
        if not (isinstance(value, (int, float)) and 0 <= value < float("inf")):
            notes.append(f"{field}: measured {value!r}, which is unusable; default kept")
            del measured[field]
    print(
        json.dumps(
            {
                "python": f"{platform.python_implementation()} {platform.python_version()}",
                "platform": platform.platform(),
                "measured": measured,
                "notes": notes,
            },
            allow_nan=False,
        )
    )


if __name__ == "__main__":
    main()
