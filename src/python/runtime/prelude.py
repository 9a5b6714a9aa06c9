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


# ----- concurrent.futures ------------------------------------------------------------------------

def _closing(obj, on_exit):
    # `with obj:` gives obj on the way in and calls on_exit() on the way out (exceptions go on).
    def enter():
        return obj

    def exit(*exc):
        on_exit()
        return False

    obj.__enter__ = enter
    obj.__exit__ = exit
    return obj


def _executor(ex, submit, shutdown):
    # Lib/concurrent/futures/_base.py Executor: map submits everything at once and yields
    # results in order; the context manager shuts down and waits.
    def map(fn, *iterables, timeout=None, chunksize=1):
        fs = [submit(fn, *args) for args in zip(*iterables)]

        def result_iterator():
            for f in fs:
                yield f.result()

        return result_iterator()

    ex.submit = submit
    ex.map = map
    ex.shutdown = shutdown
    return _closing(ex, lambda: shutdown(True))


def futures__ThreadPoolExecutor(max_workers=None, thread_name_prefix=""):
    # Lib/concurrent/futures/thread.py: a work queue, workers started on demand while none
    # is idle, up to max_workers = min(32, cpu_count + 4).
    if max_workers is None:
        max_workers = min(32, _mp.cpu_count() + 4)
    if max_workers <= 0:
        raise ValueError("max_workers must be greater than 0")
    prefix = thread_name_prefix or ("ThreadPoolExecutor-" + str(_next_executor_number()))
    work = _thread_queue()
    threads = []
    state = {"idle": 0, "shutdown": False}
    ex = _object("ThreadPoolExecutor")

    def worker():
        while True:
            item = work.get()
            if item is None:
                work.put(None)
                return
            fut, fn, args, kwargs = item
            try:
                result = fn(*args, **kwargs)
            except BaseException as e:
                fut.set_exception(e)
            else:
                fut.set_result(result)
            state["idle"] += 1

    def adjust_thread_count():
        if state["idle"] > 0:
            state["idle"] -= 1
            return
        if len(threads) < max_workers:
            name = prefix + "_" + str(len(threads))
            t = _threading.Thread(target=worker, name=name)
            t.start()
            threads.append(t)

    def submit(fn, *args, **kwargs):
        if state["shutdown"]:
            raise RuntimeError("cannot schedule new futures after shutdown")
        fut = _cfuture()
        work.put((fut, fn, args, kwargs))
        adjust_thread_count()
        return fut

    def shutdown(wait=True, cancel_futures=False):
        if not state["shutdown"]:
            state["shutdown"] = True
            work.put(None)
        if wait:
            for t in threads:
                t.join()

    return _executor(ex, submit, shutdown)


def futures__as_completed(fs, timeout=None):
    pending = list(fs)
    while pending:
        _wait_any(pending)
        done = [f for f in pending if f.done()]
        done = sorted(done, key=_done_seq)
        for f in done:
            pending.remove(f)
            yield f


def _process_worker(calls, results):
    # Lib/concurrent/futures/process.py _process_worker: run calls until told to stop.
    while True:
        call = calls.get()
        if call is None:
            return
        work_id, fn, args, kwargs = call
        try:
            r = fn(*args, **kwargs)
        except BaseException as e:
            results.put((work_id, False, e))
        else:
            results.put((work_id, True, r))


def futures__ProcessPoolExecutor(max_workers=None):
    # With the fork start method (Linux), CPython 3.11 starts all max_workers processes at
    # the first submit, and a manager thread in the parent collects results.
    if max_workers is None:
        max_workers = _mp.cpu_count()
    if max_workers <= 0:
        raise ValueError("max_workers must be greater than 0")
    calls = _process_queue()
    results = _process_queue()
    procs = []
    pending = {}
    state = {"next": 0, "manager": None, "shutdown": False}
    ex = _object("ProcessPoolExecutor")

    def manager():
        while True:
            item = results.get()
            if item is None:
                return
            work_id, ok, value = item
            fut = pending.pop(work_id)
            if ok:
                fut.set_result(value)
            else:
                fut.set_exception(value)

    def start():
        if state["manager"] is not None:
            return
        for i in range(max_workers):
            name = "ForkProcess-" + str(_next_process_number())
            p = _mp.Process(target=_process_worker, args=(calls, results), name=name)
            p.start()
            procs.append(p)
        m = _threading.Thread(target=manager, name="ExecutorManagerThread")
        m.start()
        state["manager"] = m

    def submit(fn, *args, **kwargs):
        if state["shutdown"]:
            raise RuntimeError("cannot schedule new futures after shutdown")
        fut = _cfuture()
        work_id = state["next"]
        state["next"] += 1
        pending[work_id] = fut
        start()
        calls.put((work_id, fn, args, kwargs))
        return fut

    def shutdown(wait=True, cancel_futures=False):
        if state["shutdown"]:
            return
        state["shutdown"] = True
        if state["manager"] is None:
            return
        for p in procs:
            calls.put(None)
        if wait:
            for p in procs:
                p.join()
        results.put(None)
        if wait:
            state["manager"].join()

    return _executor(ex, submit, shutdown)


# ----- multiprocessing.Pool ----------------------------------------------------------------------

def _pool_worker(tasks, results):
    # Lib/multiprocessing/pool.py worker(): each task is a chunk of calls (mapstar).
    while True:
        task = tasks.get()
        if task is None:
            return
        job, i, fn, chunk = task
        try:
            out = (True, [fn(*args) for args in chunk])
        except Exception as e:
            out = (False, e)
        results.put((job, i, out))


def mp__Pool(processes=None):
    if processes is None:
        processes = _mp.cpu_count()
    if processes < 1:
        raise ValueError("Number of processes must be at least 1")
    tasks = _process_queue()
    results = _process_queue()
    workers = []
    state = {"job": 0, "closed": False}
    pool = _object("Pool")
    for k in range(processes):
        name = "ForkPoolWorker-" + str(_next_process_number())
        w = _mp.Process(target=_pool_worker, args=(tasks, results), name=name)
        w.start()
        workers.append(w)

    def map(fn, iterable, chunksize=None):
        if state["closed"]:
            raise ValueError("Pool not running")
        items = list(iterable)
        if chunksize is None:
            chunksize, extra = divmod(len(items), len(workers) * 4)
            if extra:
                chunksize += 1
        if len(items) == 0:
            return []
        chunks = [items[i:i + chunksize] for i in range(0, len(items), chunksize)]
        job = state["job"]
        state["job"] += 1
        for i, c in enumerate(chunks):
            tasks.put((job, i, fn, [(x,) for x in c]))
        out = [None] * len(chunks)
        error = None
        for _ in chunks:
            j, i, (ok, value) = results.get()
            if ok:
                out[i] = value
            elif error is None:
                error = value
        if error is not None:
            raise error
        flat = []
        for part in out:
            flat.extend(part)
        return flat

    def close():
        if not state["closed"]:
            state["closed"] = True
            for w in workers:
                tasks.put(None)

    def join():
        for w in workers:
            w.join()

    def terminate():
        close()
        join()

    pool.map = map
    pool.close = close
    pool.join = join
    pool.terminate = terminate
    return _closing(pool, terminate)


# ----- asyncio -------------------------------------------------------------------------------------

async def asyncio__sleep(delay, result=None):
    # A coroutine, as in CPython, so that it can be a task, gathered or waited for.
    return await _asyncio._sleep(delay, result)


def asyncio__gather(*aws, return_exceptions=False):
    children = [_asyncio.ensure_future(a) for a in aws]
    return _gather(children, return_exceptions)


async def asyncio__to_thread(func, *args, **kwargs):
    loop = _asyncio.get_running_loop()
    return await loop.run_in_executor(None, lambda: func(*args, **kwargs))


def _default_executor():
    ex = _get_default_executor()
    if ex is None:
        ex = futures__ThreadPoolExecutor(thread_name_prefix="asyncio")
        _set_default_executor(ex)
    return ex


def _run_in_executor(executor, func, *args):
    if executor is None:
        executor = _default_executor()
    cfut = executor.submit(func, *args)
    return _wrap_future(cfut, "in a thread")


def _finish_run(executor, ok, value):
    if executor is not None:
        executor.shutdown(True)
    if ok:
        return value
    raise value


async def asyncio__wait_for(aw, timeout):
    task = _asyncio.ensure_future(aw)
    if timeout is None:
        return await task
    waiter = _loop_future("wait_for")
    _call_later(timeout, waiter)
    _notify_when_done(task, waiter)
    await waiter
    if task.done():
        return task.result()
    task.cancel()
    finished = _loop_future("cancel")
    _notify_when_done(task, finished)
    await finished
    raise TimeoutError()


def _async_lock(obj, acquire, release):
    # `async with lock:` acquires on the way in and releases on the way out.
    async def aenter():
        await acquire()
        return None

    async def aexit(*exc):
        release()
        return False

    obj.acquire = acquire
    obj.release = release
    obj.__aenter__ = aenter
    obj.__aexit__ = aexit
    return obj


def asyncio__Semaphore(value=1):
    # Lib/asyncio/locks.py Semaphore (3.11.7): FIFO, and no barging past waiters.
    if value < 0:
        raise ValueError("Semaphore initial value must be >= 0")
    st = {"value": value}
    waiters = []
    sem = _object("Semaphore")

    def locked():
        return st["value"] == 0 or any(not w.cancelled() for w in waiters)

    def wake_up_next():
        for fut in waiters:
            if not fut.done():
                st["value"] -= 1
                fut.set_result(True)
                return

    async def acquire():
        if not locked():
            st["value"] -= 1
            return True
        fut = _loop_future("semaphore")
        waiters.append(fut)
        try:
            try:
                await fut
            finally:
                waiters.remove(fut)
        except _asyncio.CancelledError:
            if not fut.cancelled():
                st["value"] += 1
                wake_up_next()
            raise
        if st["value"] > 0:
            wake_up_next()
        return True

    def release():
        st["value"] += 1
        wake_up_next()

    sem.locked = locked
    return _async_lock(sem, acquire, release)


def asyncio__BoundedSemaphore(value=1):
    return asyncio__Semaphore(value)


def asyncio__Lock():
    # Lib/asyncio/locks.py Lock.
    st = {"locked": False}
    waiters = []
    lock = _object("Lock")

    def wake_up_first():
        if waiters:
            fut = waiters[0]
            if not fut.done():
                fut.set_result(True)

    async def acquire():
        if not st["locked"] and all(w.cancelled() for w in waiters):
            st["locked"] = True
            return True
        fut = _loop_future("lock")
        waiters.append(fut)
        try:
            try:
                await fut
            finally:
                waiters.remove(fut)
        except _asyncio.CancelledError:
            if not st["locked"]:
                wake_up_first()
            raise
        st["locked"] = True
        return True

    def release():
        if st["locked"]:
            st["locked"] = False
            wake_up_first()
        else:
            raise RuntimeError("Lock is not acquired.")

    def locked():
        return st["locked"]

    lock.locked = locked
    return _async_lock(lock, acquire, release)


def asyncio__Event():
    # Lib/asyncio/locks.py Event.
    st = {"value": False}
    waiters = []
    ev = _object("Event")

    def set():
        if not st["value"]:
            st["value"] = True
            for fut in waiters:
                if not fut.done():
                    fut.set_result(True)

    def clear():
        st["value"] = False

    def is_set():
        return st["value"]

    async def wait():
        if st["value"]:
            return True
        fut = _loop_future("event")
        waiters.append(fut)
        try:
            await fut
            return True
        finally:
            waiters.remove(fut)

    ev.set = set
    ev.clear = clear
    ev.is_set = is_set
    ev.wait = wait
    return ev


def asyncio__Queue(maxsize=0):
    # Lib/asyncio/queues.py Queue.
    items = []
    getters = []
    putters = []
    st = {"unfinished": 0}
    finished = asyncio__Event()
    finished.set()
    q = _object("Queue")

    def wakeup_next(waiters):
        while waiters:
            w = waiters.pop(0)
            if not w.done():
                w.set_result(None)
                break

    def qsize():
        return len(items)

    def empty():
        return not items

    def full():
        if maxsize <= 0:
            return False
        return len(items) >= maxsize

    async def put(item):
        while full():
            putter = _loop_future("queue full")
            putters.append(putter)
            try:
                await putter
            except _asyncio.CancelledError:
                if putter in putters:
                    putters.remove(putter)
                raise
        return put_nowait(item)

    def put_nowait(item):
        if full():
            raise _asyncio.QueueFull()
        items.append(item)
        st["unfinished"] += 1
        finished.clear()
        wakeup_next(getters)

    async def get():
        while not items:
            getter = _loop_future("queue empty")
            getters.append(getter)
            try:
                await getter
            except _asyncio.CancelledError:
                if getter in getters:
                    getters.remove(getter)
                raise
        return get_nowait()

    def get_nowait():
        if not items:
            raise _asyncio.QueueEmpty()
        item = items.pop(0)
        wakeup_next(putters)
        return item

    def task_done():
        if st["unfinished"] <= 0:
            raise ValueError("task_done() called too many times")
        st["unfinished"] -= 1
        if st["unfinished"] == 0:
            finished.set()

    async def join():
        if st["unfinished"] > 0:
            await finished.wait()

    q.qsize = qsize
    q.empty = empty
    q.full = full
    q.put = put
    q.put_nowait = put_nowait
    q.get = get
    q.get_nowait = get_nowait
    q.task_done = task_done
    q.join = join
    return q


# ----- functools, dataclasses ------------------------------------------------------------------

def functools__wraps(wrapped):
    # Lib/functools.py update_wrapper: the wrapper takes the wrapped function's name and
    # docs, its attributes, and remembers it as __wrapped__.
    def decorator(wrapper):
        for attr in ("__module__", "__name__", "__qualname__", "__doc__", "__annotations__"):
            try:
                value = getattr(wrapped, attr)
            except AttributeError:
                pass
            else:
                setattr(wrapper, attr, value)
        for k, v in getattr(wrapped, "__dict__", {}).items():
            setattr(wrapper, k, v)
        wrapper.__wrapped__ = wrapped
        return wrapper
    return decorator


_MISSING = _object("MISSING")
_HAS_DEFAULT_FACTORY = _object("_HAS_DEFAULT_FACTORY")
_created = {"n": 0}


def dataclasses__field(*, default=_MISSING, default_factory=_MISSING, init=True, repr=True,
                       compare=True):
    if default is not _MISSING and default_factory is not _MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return _object("Field", default=default, default_factory=default_factory, init=init,
                   repr=repr, compare=compare, name=None)


def dataclasses__dataclass(cls=None, *, init=True, repr=True, eq=True, order=False,
                           frozen=False):
    # Lib/dataclasses.py: the class's annotated names are its fields; __init__, __repr__,
    # __eq__ (and the orderings) are written as source text and compiled, as CPython does.
    def wrap(cls):
        if frozen:
            raise TypeError("dataclass(frozen=True) is not supported by the kitchen")
        return _process_class(cls, init, repr, eq, order)
    if cls is None:
        return wrap
    return wrap(cls)


def _dataclass_fields(cls):
    fields = []
    for base in reversed(cls.__mro__[1:]):
        fields.extend(getattr(base, "__dataclass_fields__", {}).values())
    for name, annotation in getattr(cls, "__annotations__", {}).items():
        if annotation.startswith("ClassVar") or annotation.startswith("typing.ClassVar"):
            continue
        default = getattr(cls, name, _MISSING)
        if type(default).__name__ == "Field":
            f = default
            if f.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        else:
            f = dataclasses__field(default=default)
        f.name = name
        fields = [g for g in fields if g.name != name]
        fields.append(f)
    return fields


def _process_class(cls, init, repr, eq, order):
    fields = _dataclass_fields(cls)
    seen_default = False
    for f in fields:
        if f.init:
            if f.default is not _MISSING or f.default_factory is not _MISSING:
                seen_default = True
            elif seen_default:
                raise TypeError(f"non-default argument '{f.name}' follows default argument")
    cls.__dataclass_fields__ = {f.name: f for f in fields}
    names = []
    source = []
    if init:
        names.append("__init__")
        source.append(_dataclass_init(cls, fields))
    if repr:
        shown = ", ".join([f"{f.name}={{self.{f.name}!r}}" for f in fields if f.repr])
        names.append("__repr__")
        source.append("  def __repr__(self):\n"
                      f"    return self.__class__.__qualname__ + f\"({shown})\"\n")
    compared = [f for f in fields if f.compare]
    mine = "(" + "".join([f"self.{f.name}," for f in compared]) + ")"
    theirs = "(" + "".join([f"other.{f.name}," for f in compared]) + ")"
    ops = []
    if eq:
        ops.append(("__eq__", "=="))
    if order:
        ops.extend([("__lt__", "<"), ("__le__", "<="), ("__gt__", ">"), ("__ge__", ">=")])
    for name, op in ops:
        names.append(name)
        source.append(f"  def {name}(self, other):\n"
                      "    if other.__class__ is self.__class__:\n"
                      f"      return {mine} {op} {theirs}\n"
                      "    return NotImplemented\n")
    _created["n"] += 1
    create = f"__create_fn_{_created['n']}__"
    params = ", ".join([f"dflt_{f.name}" for f in fields] + ["MISSING"])
    text = (f"def {create}({params}):\n" + "".join(source)
            + "  return (" + "".join([n + ", " for n in names]) + ")\n")
    made = _exec(text, create)(*([_field_default(f) for f in fields] + [_HAS_DEFAULT_FACTORY]))
    for name, fn in zip(names, made):
        if name not in cls.__dict__:
            fn.__qualname__ = f"{cls.__qualname__}.{fn.__name__}"
            setattr(cls, name, fn)
    if eq and "__hash__" not in cls.__dict__:
        cls.__hash__ = None
    _charge("dataclass")
    return cls


def _field_default(f):
    if f.default_factory is not _MISSING:
        return f.default_factory
    return f.default


def _dataclass_init(cls, fields):
    params = ["self"]
    body = []
    for f in fields:
        if not f.init:
            if f.default_factory is not _MISSING:
                body.append(f"    self.{f.name} = dflt_{f.name}()\n")
            elif f.default is not _MISSING:
                body.append(f"    self.{f.name} = dflt_{f.name}\n")
            continue
        if f.default_factory is not _MISSING:
            params.append(f"{f.name}=MISSING")
            body.append(f"    self.{f.name} = dflt_{f.name}() if {f.name} is MISSING "
                        f"else {f.name}\n")
        elif f.default is not _MISSING:
            params.append(f"{f.name}=dflt_{f.name}")
            body.append(f"    self.{f.name} = {f.name}\n")
        else:
            params.append(f.name)
            body.append(f"    self.{f.name} = {f.name}\n")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()\n")
    if not body:
        body.append("    pass\n")
    return "  def __init__(" + ", ".join(params) + "):\n" + "".join(body)


def dataclasses__asdict(obj):
    return {name: _asdict_value(getattr(obj, name)) for name in obj.__dataclass_fields__}


def _asdict_value(v):
    if hasattr(type(v), "__dataclass_fields__"):
        return dataclasses__asdict(v)
    if isinstance(v, list):
        return [_asdict_value(x) for x in v]
    if isinstance(v, dict):
        return {k: _asdict_value(x) for k, x in v.items()}
    return v


def dataclasses__fields(obj):
    return tuple(obj.__dataclass_fields__.values())


def dataclasses__is_dataclass(obj):
    return hasattr(obj, "__dataclass_fields__")
