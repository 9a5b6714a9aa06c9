

# ----- queue --------------------------------------------------------------------------------------
# Lib/queue.py (3.11): Queue, LifoQueue and PriorityQueue are Python on top of a Lock and three
# Conditions (not_empty, not_full, all_tasks_done), with maxsize, timeouts, task_done and
# join, so they cost and wake as in CPython. (SimpleQueue, which CPython writes in C, and the
# executors' work queues are the kitchen's native queues.)

import queue as _queue_mod

def _heappush(heap, item):
    # Lib/heapq.py heappush / _siftdown.
    heap.append(item)
    pos = len(heap) - 1
    newitem = heap[pos]
    while pos > 0:
        parentpos = (pos - 1) >> 1
        parent = heap[parentpos]
        if newitem < parent:
            heap[pos] = parent
            pos = parentpos
            continue
        break
    heap[pos] = newitem


def _heappop(heap):
    # Lib/heapq.py heappop / _siftup.
    lastelt = heap.pop()
    if not heap:
        return lastelt
    returnitem = heap[0]
    heap[0] = lastelt
    endpos = len(heap)
    pos = 0
    newitem = heap[pos]
    childpos = 2 * pos + 1
    while childpos < endpos:
        rightpos = childpos + 1
        if rightpos < endpos and not heap[childpos] < heap[rightpos]:
            childpos = rightpos
        heap[pos] = heap[childpos]
        pos = childpos
        childpos = 2 * pos + 1
    heap[pos] = newitem
    while pos > 0:
        parentpos = (pos - 1) >> 1
        parent = heap[parentpos]
        if newitem < parent:
            heap[pos] = parent
            pos = parentpos
            continue
        break
    heap[pos] = newitem
    return returnitem


def _queue(kind, maxsize, put_item, get_item):
    q = _object(kind)
    items = []
    mutex = _threading.Lock()
    not_empty = threading__Condition(mutex, "queue", kind + ".get()")
    not_full = threading__Condition(mutex, "queue", kind + ".put()")
    all_tasks_done = threading__Condition(mutex, "queue", kind + ".join()")

    def task_done():
        with all_tasks_done:
            unfinished = q.unfinished_tasks - 1
            if unfinished <= 0:
                if unfinished < 0:
                    raise ValueError("task_done() called too many times")
                all_tasks_done.notify_all()
            q.unfinished_tasks = unfinished

    def join():
        with all_tasks_done:
            while q.unfinished_tasks:
                all_tasks_done.wait()

    def qsize():
        with mutex:
            return len(items)

    def empty():
        with mutex:
            return not len(items)

    def full():
        with mutex:
            return 0 < maxsize <= len(items)

    def put(item, block=True, timeout=None):
        with not_full:
            if maxsize > 0:
                if not block:
                    if len(items) >= maxsize:
                        raise _queue_mod.Full
                elif timeout is None:
                    while len(items) >= maxsize:
                        not_full.wait()
                elif timeout < 0:
                    raise ValueError("'timeout' must be a non-negative number")
                else:
                    endtime = _time.monotonic() + timeout
                    while len(items) >= maxsize:
                        remaining = endtime - _time.monotonic()
                        if remaining <= 0.0:
                            raise _queue_mod.Full
                        not_full.wait(remaining)
            put_item(items, item)
            q.unfinished_tasks += 1
            not_empty.notify()

    def get(block=True, timeout=None):
        with not_empty:
            if not block:
                if not len(items):
                    raise _queue_mod.Empty
            elif timeout is None:
                while not len(items):
                    not_empty.wait()
            elif timeout < 0:
                raise ValueError("'timeout' must be a non-negative number")
            else:
                endtime = _time.monotonic() + timeout
                while not len(items):
                    remaining = endtime - _time.monotonic()
                    if remaining <= 0.0:
                        raise _queue_mod.Empty
                    not_empty.wait(remaining)
            item = get_item(items)
            not_full.notify()
            return item

    q.maxsize = maxsize
    q.unfinished_tasks = 0
    q.queue = items
    q.mutex = mutex
    q.not_empty = not_empty
    q.not_full = not_full
    q.all_tasks_done = all_tasks_done
    q.task_done = task_done
    q.join = join
    q.qsize = qsize
    q.empty = empty
    q.full = full
    q.put = put
    q.get = get
    q.put_nowait = lambda item: put(item, False)
    q.get_nowait = lambda: get(False)
    return q


def queue__Queue(maxsize=0):
    return _queue("Queue", maxsize, lambda items, x: items.append(x), lambda items: items.pop(0))


def queue__LifoQueue(maxsize=0):
    return _queue("LifoQueue", maxsize, lambda items, x: items.append(x), lambda items: items.pop())


def queue__PriorityQueue(maxsize=0):
    return _queue("PriorityQueue", maxsize, _heappush, _heappop)
