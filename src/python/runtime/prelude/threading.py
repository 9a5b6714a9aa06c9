

# ----- threading ----------------------------------------------------------------------------------
# Lib/threading.py (3.11): Condition, Event, Semaphore, BoundedSemaphore and Timer, as CPython
# writes them in Python on top of its C locks (the kitchen's Lock and RLock), so they cost and
# wake as there: a Condition's waiter blocks on a lock of its own, which notify() releases.

def threading__Condition(lock=None, _on="condition", _what="Condition.wait()"):
    # _on and _what (the kitchen's own) say what a waiter waits for, for the page.
    if lock is None:
        lock = _threading.RLock()
    cond = _object("Condition")
    waiters = []
    cond._lock = lock
    cond._waiters = waiters
    cond.acquire = lock.acquire
    cond.release = lock.release
    cond.__enter__ = lock.__enter__
    cond.__exit__ = lock.__exit__
    is_owned = lock._is_owned
    release_save = lock._release_save
    acquire_restore = lock._acquire_restore

    def wait(timeout=None):
        if not is_owned():
            raise RuntimeError("cannot wait on un-acquired lock")
        waiter = _threading._allocate_lock()
        waiter.acquire()
        waiters.append(waiter)
        saved_state = release_save()
        gotit = False
        try:
            if timeout is None:
                waiter._wait_as(None, _on, _what)
                gotit = True
            else:
                if timeout > 0:
                    gotit = waiter._wait_as(timeout, _on, _what)
                else:
                    gotit = waiter.acquire(False)
            return gotit
        finally:
            acquire_restore(saved_state)
            if not gotit:
                if waiter in waiters:
                    waiters.remove(waiter)

    def wait_for(predicate, timeout=None):
        endtime = None
        waittime = timeout
        result = predicate()
        while not result:
            if waittime is not None:
                if endtime is None:
                    endtime = _time.monotonic() + waittime
                else:
                    waittime = endtime - _time.monotonic()
                    if waittime <= 0:
                        break
            wait(waittime)
            result = predicate()
        return result

    def notify(n=1):
        if not is_owned():
            raise RuntimeError("cannot notify on un-acquired lock")
        while waiters and n > 0:
            waiter = waiters[0]
            try:
                waiter.release()
            except RuntimeError:
                pass
            else:
                n -= 1
            if waiter in waiters:
                waiters.remove(waiter)

    def notify_all():
        notify(len(waiters))

    cond.wait = wait
    cond.wait_for = wait_for
    cond.notify = notify
    cond.notify_all = notify_all
    cond.notifyAll = notify_all
    return cond


def threading__Event():
    ev = _object("Event")
    cond = threading__Condition(_threading.Lock(), "event", "Event.wait()")
    st = {"flag": False}

    def is_set():
        return st["flag"]

    def set():
        with cond:
            st["flag"] = True
            cond.notify_all()

    def clear():
        with cond:
            st["flag"] = False

    def wait(timeout=None):
        with cond:
            signaled = st["flag"]
            if not signaled:
                signaled = cond.wait(timeout)
            return signaled

    ev._cond = cond
    ev.is_set = is_set
    ev.isSet = is_set
    ev.set = set
    ev.clear = clear
    ev.wait = wait
    return ev


def _semaphore(kind, value, bounded):
    if value < 0:
        raise ValueError("semaphore initial value must be >= 0")
    sem = _object(kind)
    cond = threading__Condition(_threading.Lock(), "semaphore", kind + "(" + str(value) + ").acquire()")
    st = {"value": value}

    def acquire(blocking=True, timeout=None):
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        rc = False
        endtime = None
        with cond:
            while st["value"] == 0:
                if not blocking:
                    break
                if timeout is not None:
                    if endtime is None:
                        endtime = _time.monotonic() + timeout
                    else:
                        timeout = endtime - _time.monotonic()
                        if timeout <= 0:
                            break
                cond.wait(timeout)
            else:
                st["value"] -= 1
                rc = True
        return rc

    def release(n=1):
        if n < 1:
            raise ValueError("n must be one or more")
        with cond:
            if bounded and st["value"] + n > value:
                raise ValueError("Semaphore released too many times")
            st["value"] += n
            for i in range(n):
                cond.notify()

    sem._cond = cond
    sem.acquire = acquire
    sem.release = release
    sem.__enter__ = acquire
    sem.__exit__ = lambda *exc: release()
    sem._value = lambda: st["value"]
    return sem


def threading__Semaphore(value=1):
    return _semaphore("Semaphore", value, False)


def threading__BoundedSemaphore(value=1):
    return _semaphore("BoundedSemaphore", value, True)


def threading__Timer(interval, function, args=None, kwargs=None):
    # class Timer(Thread): run() waits on its `finished` event for `interval`, then calls
    # function unless cancel() set it first.
    finished = threading__Event()
    if args is None:
        args = []
    if kwargs is None:
        kwargs = {}

    def run():
        finished.wait(interval)
        if not finished.is_set():
            function(*args, **kwargs)
        finished.set()

    t = _threading.Thread(target=run, name=_new_thread_name())
    t.interval = interval
    t.function = function
    t.finished = finished
    t.cancel = finished.set
    return t
