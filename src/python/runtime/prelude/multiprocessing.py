

# ----- multiprocessing ----------------------------------------------------------------------------
# Lib/multiprocessing/pool.py (3.11): Pool's workers (daemon processes fed chunks of calls
# through a pickling queue), map, starmap, imap, imap_unordered, apply and their _async forms
# with AsyncResult (get, wait, ready, successful; callback and error_callback). CPython's Pool
# starts three handler threads at once; the kitchen's map reads its results itself, and the
# result handler thread (_handle_results) starts when an asynchronous call first needs it.
# Value (a shared number with its lock), JoinableQueue, and the synchronisation objects, which
# forked processes share in the kitchen (its locks are not copied by a fork).

def _pool_worker(tasks, results, initializer, initargs):
    # pool.py worker(): each task is a chunk of calls (mapstar / starmapstar).
    if initializer is not None:
        initializer(*initargs)
    while True:
        task = tasks.get()
        if task is None:
            return
        job, i, fn, chunk, kwds = task
        try:
            out = (True, [fn(*args, **kwds) for args in chunk])
        except Exception as e:
            out = (False, e)
        results.put((job, i, out))


def _async_result(kind, nchunks, finish, callback, error_callback):
    # pool.py ApplyResult / MapResult: done when every chunk came back, or at the first
    # failed one.
    r = _object(kind)
    event = threading__Event()
    st = {"ok": None, "value": None, "left": nchunks}
    parts = [None] * nchunks

    def on_chunk(i, out):
        ok, value = out
        if st["ok"] is not None:
            return
        if not ok:
            st["ok"] = False
            st["value"] = value
            if error_callback is not None:
                error_callback(value)
            event.set()
            return
        parts[i] = value
        st["left"] -= 1
        if st["left"] == 0:
            st["ok"] = True
            st["value"] = finish(parts)
            if callback is not None:
                callback(st["value"])
            event.set()

    def ready():
        return event.is_set()

    def successful():
        if not ready():
            raise ValueError(repr(r) + " not ready")
        return st["ok"]

    def get(timeout=None):
        event.wait(timeout)
        if not ready():
            raise _mp.TimeoutError
        if st["ok"]:
            return st["value"]
        raise st["value"]

    r._on_chunk = on_chunk
    r.ready = ready
    r.successful = successful
    r.wait = event.wait
    r.get = get
    if nchunks == 0:
        st["ok"] = True
        st["value"] = finish(parts)
        event.set()
    return r


def _flatten(parts):
    flat = []
    for part in parts:
        flat.extend(part)
    return flat


def _chunks(items, chunksize, workers):
    if chunksize is None:
        chunksize, extra = divmod(len(items), workers * 4)
        if extra:
            chunksize += 1
    if chunksize < 1:
        chunksize = 1
    return [items[i:i + chunksize] for i in range(0, len(items), chunksize)]


def mp__Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None):
    if processes is None:
        processes = _mp.cpu_count()
    if processes < 1:
        raise ValueError("Number of processes must be at least 1")
    tasks = _process_queue()
    results = _process_queue()
    workers = []
    cache = {}
    state = {"job": 0, "closed": False, "handler": None}
    pool = _object("Pool")
    for k in range(processes):
        name = "ForkPoolWorker-" + str(_next_process_number())
        w = _mp.Process(target=_pool_worker, args=(tasks, results, initializer, initargs),
                        name=name)
        w.daemon = True
        w.start()
        workers.append(w)

    def handle_results():
        # pool.py Pool._handle_results: each chunk's results go to the call they belong to.
        while True:
            item = results.get()
            if item is None:
                return
            job, i, out = item
            r = cache.get(job)
            if r is not None:
                r._on_chunk(i, out)
                if r.ready():
                    cache.pop(job)

    def send(fn, chunks, kwds):
        if state["closed"]:
            raise ValueError("Pool not running")
        job = state["job"]
        state["job"] += 1
        for i, c in enumerate(chunks):
            tasks.put((job, i, fn, c, kwds))
        return job

    def submit(kind, fn, chunks, kwds, finish, callback=None, error_callback=None):
        if state["handler"] is None:
            t = _threading.Thread(target=handle_results, name=_new_thread_name())
            t.daemon = True
            t.start()
            state["handler"] = t
        r = _async_result(kind, len(chunks), finish, callback, error_callback)
        if chunks:
            cache[state["job"]] = r
            send(fn, chunks, kwds)
        return r

    def map_async(fn, iterable, chunksize=None, callback=None, error_callback=None):
        chunks = [[(x,) for x in c] for c in _chunks(list(iterable), chunksize, len(workers))]
        return submit("MapResult", fn, chunks, {}, _flatten, callback, error_callback)

    def starmap_async(fn, iterable, chunksize=None, callback=None, error_callback=None):
        chunks = _chunks([tuple(a) for a in iterable], chunksize, len(workers))
        return submit("MapResult", fn, chunks, {}, _flatten, callback, error_callback)

    def apply_async(fn, args=(), kwds={}, callback=None, error_callback=None):
        return submit("ApplyResult", fn, [[tuple(args)]], kwds, lambda parts: parts[0][0],
                      callback, error_callback)

    def map(fn, iterable, chunksize=None):
        if state["handler"] is not None:
            return map_async(fn, iterable, chunksize).get()
        # No asynchronous call yet: map reads its own results, as they come.
        items = list(iterable)
        if len(items) == 0:
            return []
        chunks = _chunks(items, chunksize, len(workers))
        send(fn, [[(x,) for x in c] for c in chunks], {})
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
        return _flatten(out)

    def imap_unordered(fn, iterable, chunksize=1):
        # pool.py IMapUnorderedIterator: results as their chunks come back.
        chunks = [[(x,) for x in c] for c in _chunks(list(iterable), chunksize, len(workers))]
        arrived = _thread_queue()
        r = submit("IMapIterator", fn, chunks, {}, _flatten)
        inner = r._on_chunk
        r._on_chunk = lambda i, out: (inner(i, out), arrived.put(out))
        return _imap_results(arrived, len(chunks), None)

    def imap(fn, iterable, chunksize=1):
        # pool.py IMapIterator: results in the order of the input.
        chunks = [[(x,) for x in c] for c in _chunks(list(iterable), chunksize, len(workers))]
        arrived = _thread_queue()
        r = submit("IMapIterator", fn, chunks, {}, _flatten)
        inner = r._on_chunk
        r._on_chunk = lambda i, out: (inner(i, out), arrived.put((i, out)))
        return _imap_results(arrived, len(chunks), True)

    def close():
        if not state["closed"]:
            state["closed"] = True
            for w in workers:
                tasks.put(None)

    def join():
        if not state["closed"]:
            raise ValueError("Pool is still running")
        for w in workers:
            w.join()
        if state["handler"] is not None:
            results.put(None)
            state["handler"].join()

    def terminate():
        close()
        join()

    pool.map = map
    pool.map_async = map_async
    pool.starmap = lambda fn, iterable, chunksize=None: starmap_async(fn, iterable, chunksize).get()
    pool.starmap_async = starmap_async
    pool.apply_async = apply_async
    pool.apply = lambda fn, args=(), kwds={}: apply_async(fn, args, kwds).get()
    pool.imap = imap
    pool.imap_unordered = imap_unordered
    pool.close = close
    pool.join = join
    pool.terminate = terminate
    return _closing(pool, terminate)


def _imap_results(arrived, nchunks, ordered):
    if not ordered:
        for _ in range(nchunks):
            ok, value = arrived.get()
            if not ok:
                raise value
            for x in value:
                yield x
        return
    waiting = {}
    nxt = 0
    for _ in range(nchunks):
        i, out = arrived.get()
        waiting[i] = out
        while nxt in waiting:
            ok, value = waiting.pop(nxt)
            nxt += 1
            if not ok:
                raise value
            for x in value:
                yield x


def mp__Value(typecode_or_type, *args, lock=True):
    # sharedctypes.Value: a number in shared memory, behind a lock (an RLock) by default.
    v = _object("Synchronized")
    if args:
        value = args[0]
    elif typecode_or_type in ("d", "f"):
        value = 0.0
    else:
        value = 0
    if typecode_or_type in ("d", "f"):
        value = float(value)
    elif typecode_or_type not in ("c", "u") and not isinstance(value, int):
        raise TypeError("int expected instead of " + type(value).__name__)
    v.value = value
    if lock is True or lock is None:
        lock = _threading.RLock()
    if lock:
        v.get_lock = lambda: lock
        v.acquire = lock.acquire
        v.release = lock.release
        v.__enter__ = lock.__enter__
        v.__exit__ = lock.__exit__
    return v


def mp__RawValue(typecode_or_type, *args):
    return mp__Value(typecode_or_type, *args, lock=False)


class _SynchronizedArray:
    # sharedctypes.Array: a fixed-size array in shared memory, behind a lock (an RLock) by
    # default. Its items live in a namespace, which the kitchen keeps as is when it forks
    # (shared memory); the object around it is copied like any other.
    def __init__(self, typecode, items, lock):
        self._shm = _object("SharedArray", items=items, typecode=typecode)
        self._lock = lock

    def get_lock(self):
        return self._lock

    def get_obj(self):
        return self._shm

    def acquire(self, *args):
        return self._lock.acquire(*args)

    def release(self):
        return self._lock.release()

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    def __len__(self):
        return len(self._shm.items)

    def __getitem__(self, i):
        return self._shm.items[i]

    def __setitem__(self, i, value):
        items = self._shm.items
        if not isinstance(i, int):
            # A slice: as many new items as it covers.
            new = list(value)
            if len(new) != len(items[i]):
                raise ValueError("Can only assign sequence of same size")
            items[i] = [_array_item(self._shm.typecode, v) for v in new]
        else:
            items[i] = _array_item(self._shm.typecode, value)

    def __iter__(self):
        return iter(list(self._shm.items))

    def __repr__(self):
        return "<SynchronizedArray wrapper for " + repr(self._shm.items) + ">"


def _array_item(typecode, value):
    if typecode in ("d", "f"):
        return float(value)
    if not isinstance(value, int):
        raise TypeError("int expected instead of " + type(value).__name__)
    return value


def mp__Array(typecode_or_type, size_or_initializer, *, lock=True):
    if isinstance(size_or_initializer, int):
        zero = 0.0 if typecode_or_type in ("d", "f") else 0
        items = [zero] * size_or_initializer
    else:
        items = [_array_item(typecode_or_type, v) for v in size_or_initializer]
    if lock is True or lock is None:
        lock = _threading.RLock()
    return _SynchronizedArray(typecode_or_type, items, lock)


def mp__RawArray(typecode_or_type, size_or_initializer):
    return mp__Array(typecode_or_type, size_or_initializer, lock=_object("NoLock",
                     acquire=lambda *a: True, release=lambda: None,
                     __enter__=lambda: None, __exit__=lambda *a: None))


def mp__JoinableQueue(maxsize=0):
    # queues.JoinableQueue: a multiprocessing queue that counts unfinished tasks.
    jq = _object("JoinableQueue")
    inner = _process_queue()
    cond = threading__Condition(None, "queue", "JoinableQueue.join()")
    st = {"unfinished": 0}

    def put(obj, block=True, timeout=None):
        with cond:
            st["unfinished"] += 1
        inner.put(obj)

    def task_done():
        with cond:
            if st["unfinished"] <= 0:
                raise ValueError("task_done() called too many times")
            st["unfinished"] -= 1
            if st["unfinished"] == 0:
                cond.notify_all()

    def join():
        with cond:
            while st["unfinished"]:
                cond.wait()

    jq.put = put
    jq.put_nowait = put
    jq.get = inner.get
    jq.get_nowait = inner.get_nowait
    jq.empty = inner.empty
    jq.qsize = inner.qsize
    jq.close = inner.close
    jq.join_thread = inner.join_thread
    jq.task_done = task_done
    jq.join = join
    return jq


def _shared(kind, obj, names):
    # multiprocessing's synchronisation objects live outside the processes' memory: a fork
    # shares them. A namespace of the threading object's methods is what the kitchen keeps
    # as is when it forks (a threading object itself is copied, as CPython's would be).
    shared = _object(kind)
    for name in names:
        setattr(shared, name, getattr(obj, name))
    return shared


_LOCKLIKE = ["acquire", "release", "__enter__", "__exit__"]


def mp__Event():
    return _shared("Event", threading__Event(), ["is_set", "set", "clear", "wait"])


def mp__Condition(lock=None):
    return _shared("Condition", threading__Condition(lock),
                   _LOCKLIKE + ["wait", "wait_for", "notify", "notify_all"])


def mp__Semaphore(value=1):
    return _shared("Semaphore", threading__Semaphore(value), _LOCKLIKE)


def mp__BoundedSemaphore(value=1):
    return _shared("BoundedSemaphore", threading__BoundedSemaphore(value), _LOCKLIKE)


def mp__Barrier(parties, action=None, timeout=None):
    return _shared("Barrier", threading__Barrier(parties, action, timeout),
                   ["wait", "reset", "abort"])


def mp__get_context(method=None):
    if method is not None and method != "fork":
        _mp.set_start_method(method)
    return _mp
