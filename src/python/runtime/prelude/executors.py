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

    # thread.py's _python_exit: at exit, the workers are told to stop and joined.
    _threading._register_atexit(lambda: shutdown(True))
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

    # process.py's _python_exit: at exit, the workers and the manager thread are stopped.
    _threading._register_atexit(lambda: shutdown(True))
    return _executor(ex, submit, shutdown)
