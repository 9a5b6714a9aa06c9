

# ----- asyncio: waiting for several tasks ----------------------------------------------------------
# Lib/asyncio/tasks.py, taskgroups.py and timeouts.py (3.11): wait, as_completed, shield,
# TaskGroup and timeout, built as there on done callbacks and the loop's timers. (Sets are
# lists here until the kitchen has sets: wait() returns (done, pending) as lists.)

asyncio__FIRST_COMPLETED = "FIRST_COMPLETED"
asyncio__FIRST_EXCEPTION = "FIRST_EXCEPTION"
asyncio__ALL_COMPLETED = "ALL_COMPLETED"


def _is_coroutine(x):
    return type(x).__name__ == "coroutine"


def _is_future(x):
    return type(x).__name__ in ("Future", "Task")


def _release_waiter(waiter, *args):
    if not waiter.done():
        waiter.set_result(None)


def _unique(fs):
    out = []
    for f in fs:
        if f not in out:
            out.append(f)
    return out


async def asyncio__wait(fs, *, timeout=None, return_when="ALL_COMPLETED"):
    if _is_future(fs) or _is_coroutine(fs):
        raise TypeError("expect a list of futures, not " + type(fs).__name__)
    fs = _unique(fs)
    if not fs:
        raise ValueError("Set of Tasks/Futures is empty.")
    if return_when not in ("FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"):
        raise ValueError("Invalid return_when value: " + str(return_when))
    loop = _asyncio.get_running_loop()
    if any(_is_coroutine(f) for f in fs):
        raise TypeError("Passing coroutines is forbidden, use tasks explicitly.")
    fs = [_asyncio.ensure_future(f) for f in fs]
    return await _wait(fs, timeout, return_when, loop)


async def _wait(fs, timeout, return_when, loop):
    waiter = _loop_future("wait")
    timeout_handle = None
    if timeout is not None:
        timeout_handle = loop.call_later(timeout, _release_waiter, waiter)
    counter = len(fs)

    def _on_completion(f):
        nonlocal counter
        counter -= 1
        if (counter <= 0 or return_when == "FIRST_COMPLETED" or
                return_when == "FIRST_EXCEPTION" and (not f.cancelled() and
                                                      f.exception() is not None)):
            if timeout_handle is not None:
                timeout_handle.cancel()
            if not waiter.done():
                waiter.set_result(None)

    for f in fs:
        f.add_done_callback(_on_completion)
    try:
        await waiter
    finally:
        if timeout_handle is not None:
            timeout_handle.cancel()
        for f in fs:
            f.remove_done_callback(_on_completion)
    done = []
    pending = []
    for f in fs:
        if f.done():
            done.append(f)
        else:
            pending.append(f)
    return done, pending


def asyncio__as_completed(fs, *, timeout=None):
    if _is_future(fs) or _is_coroutine(fs):
        raise TypeError("expect an iterable of futures, not " + type(fs).__name__)
    done = asyncio__Queue()
    loop = _asyncio.get_event_loop()
    todo = [_asyncio.ensure_future(f) for f in _unique(fs)]
    state = {"timeout_handle": None}

    def _on_timeout():
        for f in todo:
            f.remove_done_callback(_on_completion)
            done.put_nowait(None)
        todo.clear()

    def _on_completion(f):
        if not todo:
            return
        todo.remove(f)
        done.put_nowait(f)
        if not todo and state["timeout_handle"] is not None:
            state["timeout_handle"].cancel()

    async def _wait_for_one():
        f = await done.get()
        if f is None:
            raise TimeoutError
        return f.result()

    for f in todo:
        f.add_done_callback(_on_completion)
    if todo and timeout is not None:
        state["timeout_handle"] = loop.call_later(timeout, _on_timeout)
    return _yield_n(_wait_for_one, len(todo))


def _yield_n(make, n):
    for _ in range(n):
        yield make()


def asyncio__shield(arg):
    inner = _asyncio.ensure_future(arg)
    if inner.done():
        return inner
    loop = _asyncio.get_running_loop()
    outer = loop.create_future()

    def _inner_done_callback(inner):
        if outer.cancelled():
            return
        if inner.cancelled():
            outer.cancel()
        else:
            exc = inner.exception()
            if exc is not None:
                outer.set_exception(exc)
            else:
                outer.set_result(inner.result())

    def _outer_done_callback(outer):
        if not inner.done():
            inner.remove_done_callback(_inner_done_callback)

    inner.add_done_callback(_inner_done_callback)
    outer.add_done_callback(_outer_done_callback)
    return outer


def asyncio__TaskGroup():
    # Lib/asyncio/taskgroups.py: `async with TaskGroup() as tg:` waits for every task made
    # with tg.create_task; the first failure cancels the others (and the body).
    tg = _object("TaskGroup")
    st = {"entered": False, "exiting": False, "aborting": False, "parent_task": None,
          "parent_cancel_requested": False, "base_error": None, "on_completed_fut": None}
    tasks = []
    errors = []

    async def aenter():
        if st["entered"]:
            raise RuntimeError("TaskGroup has already been entered")
        st["parent_task"] = _asyncio.current_task()
        if st["parent_task"] is None:
            raise RuntimeError("TaskGroup cannot determine the parent task")
        st["entered"] = True
        return tg

    async def aexit(et, exc, tb):
        st["exiting"] = True
        if exc is not None and _is_base_error(exc) and st["base_error"] is None:
            st["base_error"] = exc
        propagate_cancellation_error = exc if et is _asyncio.CancelledError else None
        if st["parent_cancel_requested"]:
            if st["parent_task"].uncancel() == 0:
                propagate_cancellation_error = None
        if et is not None:
            if not st["aborting"]:
                abort()
        while tasks:
            if st["on_completed_fut"] is None:
                st["on_completed_fut"] = _loop_future("taskgroup")
            try:
                await st["on_completed_fut"]
            except _asyncio.CancelledError as ex:
                if not st["aborting"]:
                    propagate_cancellation_error = ex
                    abort()
            st["on_completed_fut"] = None
        if st["base_error"] is not None:
            raise st["base_error"]
        if propagate_cancellation_error and not errors:
            raise propagate_cancellation_error
        if et is not None and et is not _asyncio.CancelledError:
            errors.append(exc)
        if errors:
            raise _exception_group("unhandled errors in a TaskGroup", errors)
        return False

    def create_task(coro, *, name=None, context=None):
        if not st["entered"]:
            raise RuntimeError("TaskGroup has not been entered")
        if st["exiting"] and not tasks:
            raise RuntimeError("TaskGroup is finished")
        if st["aborting"]:
            raise RuntimeError("TaskGroup is shutting down")
        task = _asyncio.create_task(coro, name=name)
        task.add_done_callback(on_task_done)
        tasks.append(task)
        return task

    def abort():
        st["aborting"] = True
        for t in tasks:
            if not t.done():
                t.cancel()

    def on_task_done(task):
        if task in tasks:
            tasks.remove(task)
        fut = st["on_completed_fut"]
        if fut is not None and not tasks:
            if not fut.done():
                fut.set_result(True)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return
        errors.append(exc)
        if _is_base_error(exc) and st["base_error"] is None:
            st["base_error"] = exc
        if st["parent_task"].done():
            return
        if not st["aborting"] and not st["parent_cancel_requested"]:
            abort()
            st["parent_cancel_requested"] = True
            st["parent_task"].cancel()

    tg.__aenter__ = aenter
    tg.__aexit__ = aexit
    tg.create_task = create_task
    return tg


def _is_base_error(exc):
    return isinstance(exc, (SystemExit, KeyboardInterrupt))


class BaseExceptionGroup(BaseException):
    # The exception groups of 3.11 (Objects/exceptions.c), as far as TaskGroup needs them:
    # a message and the exceptions, shown as CPython shows them. (`except*` is not
    # supported by the kitchen.)
    def __init__(self, message, exceptions):
        super().__init__(message, exceptions)
        self.message = message
        self.exceptions = tuple(exceptions)

    def __str__(self):
        n = len(self.exceptions)
        return self.message + " (" + str(n) + " sub-exception" + ("s" if n > 1 else "") + ")"


class ExceptionGroup(BaseExceptionGroup, Exception):
    pass


def _exception_group(message, errors):
    # BaseExceptionGroup(...) is an ExceptionGroup when every error is an Exception.
    if all(isinstance(e, Exception) for e in errors):
        return ExceptionGroup(message, errors)
    return BaseExceptionGroup(message, errors)


def _timeout_object(when):
    # Lib/asyncio/timeouts.py Timeout: `async with asyncio.timeout(d):` cancels the task when
    # the time is up and turns the CancelledError into TimeoutError on the way out.
    cm = _object("Timeout")
    st = {"state": "created", "handler": None, "task": None, "when": when}

    def on_timeout():
        st["task"].cancel()
        st["state"] = "expiring"
        st["handler"] = None

    def reschedule(when):
        if st["state"] != "entered":
            raise RuntimeError("Cannot change state of " + st["state"] + " Timeout")
        st["when"] = when
        if st["handler"] is not None:
            st["handler"].cancel()
        if when is None:
            st["handler"] = None
        else:
            loop = _asyncio.get_running_loop()
            if when <= loop.time():
                st["handler"] = loop.call_soon(on_timeout)
            else:
                st["handler"] = loop.call_at(when, on_timeout)

    async def aenter():
        st["state"] = "entered"
        st["task"] = _asyncio.current_task()
        if st["task"] is None:
            raise RuntimeError("Timeout should be used inside a task")
        reschedule(st["when"])
        return cm

    async def aexit(exc_type, exc_val, exc_tb):
        if st["handler"] is not None:
            st["handler"].cancel()
            st["handler"] = None
        if st["state"] == "expiring":
            st["state"] = "expired"
            if st["task"].uncancel() == 0 and exc_type is _asyncio.CancelledError:
                raise TimeoutError
        elif st["state"] == "entered":
            st["state"] = "exited"
        return None

    cm.when = lambda: st["when"]
    cm.reschedule = reschedule
    cm.expired = lambda: st["state"] in ("expiring", "expired")
    cm.__aenter__ = aenter
    cm.__aexit__ = aexit
    return cm


def asyncio__timeout(delay):
    loop = _asyncio.get_running_loop()
    return _timeout_object(loop.time() + delay if delay is not None else None)


def asyncio__timeout_at(when):
    return _timeout_object(when)
