# The kitchen's prelude: the parts of Python's library that CPython itself writes in Python,
# ported (simplified, without classes) from CPython 3.11's Lib/ so that they cost what they
# cost there (every line here is interpreted and charged like user code) and schedule the
# same way. A name `asyncio__gather` becomes `asyncio.gather`; `futures__` is
# concurrent.futures, `mp__` is multiprocessing; names without a prefix are builtins.


import asyncio as _asyncio
import multiprocessing as _mp
import threading as _threading


# ----- builtins -------------------------------------------------------------------------------

def _materialize(it):
    result = []
    for x in it:
        result.append(x)
    return result


def _call_materialized(f, args, kwargs):
    plain = []
    for a in args:
        if _is_lazy(a):
            a = _materialize(a)
        plain.append(a)
    return f(*plain, **kwargs)


def enumerate(iterable, start=0):
    i = start
    for x in iterable:
        yield (i, x)
        i += 1


def zip(*iterables):
    its = [iter(i) for i in iterables]
    if not its:
        return
    while True:
        row = []
        for it in its:
            done = True
            for x in it:
                row.append(x)
                done = False
                break
            if done:
                return
        yield tuple(row)


def map(f, *iterables):
    for args in zip(*iterables):
        yield f(*args)


def filter(f, iterable):
    for x in iterable:
        if (f is None and x) or (f is not None and f(x)):
            yield x


def next(it, *default):
    if _has_next(it):
        # A generator (its return value travels in the StopIteration) or an object with
        # __next__ of its own.
        try:
            return it.__next__()
        except StopIteration:
            if default:
                return default[0]
            raise
    for x in it:
        return x
    if default:
        return default[0]
    raise StopIteration()


def sorted(iterable, key=None, reverse=False):
    items = _materialize(iterable)
    if key is None:
        return _sorted(items, reverse=reverse)
    if reverse:
        decorated = [(key(x), -i, x) for i, x in enumerate(items)]
    else:
        decorated = [(key(x), i, x) for i, x in enumerate(items)]
    return [t[2] for t in _sorted(decorated, reverse=reverse)]


def _list_sort(items, key=None, reverse=False):
    # list.sort(key=...), in place, stable, as CPython sorts.
    items[:] = sorted(items, key=key, reverse=reverse)


def _pick(which, args, key, default, has_default):
    if len(args) == 1:
        items = _materialize(args[0])
    else:
        items = list(args)
    if not items:
        if has_default:
            return default
        raise ValueError(which + "() arg is an empty sequence")
    if key is None:
        if which == "min":
            return _min(items)
        return _max(items)
    best = items[0]
    best_key = key(best)
    for x in items[1:]:
        k = key(x)
        if (which == "min" and k < best_key) or (which == "max" and k > best_key):
            best = x
            best_key = k
    return best


def min(*args, key=None, default=None, **kw):
    return _pick("min", args, key, default, "default" in kw or default is not None)


def max(*args, key=None, default=None, **kw):
    return _pick("max", args, key, default, "default" in kw or default is not None)


# ----- threading -------------------------------------------------------------------------------

def _run_target(f, args, kwargs):
    return f(*args, **kwargs)


def _shutdown(threads_first):
    # A process's end (see runtime/shutdown.rs). The main process: Lib/threading.py
    # _shutdown (the functions registered with _register_atexit, last first, then every
    # thread that is not a daemon joined, until none is left), then multiprocessing's
    # _exit_function (daemonic children terminated, the others joined). A child process
    # (multiprocessing's _bootstrap) does its children first.
    if not threads_first:
        _end_children()
    for f in _take_atexit():
        f()
    while True:
        threads = _threads_to_join()
        if not threads:
            break
        for t in threads:
            t.join()
    if threads_first:
        _end_children()


def _end_children():
    for p in _child_processes():
        if p.daemon:
            p.terminate()
    for p in _child_processes():
        p.join()


