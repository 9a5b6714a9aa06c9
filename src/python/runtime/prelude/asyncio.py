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
