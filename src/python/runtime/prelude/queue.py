

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


class queue__Queue:
    # Lib/queue.py Queue.
    def __init__(self, maxsize=0):
        self.maxsize = maxsize
        self._init(maxsize)
        self.mutex = _threading.Lock()
        kind = type(self).__name__
        self.not_empty = threading__Condition(self.mutex, "queue", kind + ".get()")
        self.not_full = threading__Condition(self.mutex, "queue", kind + ".put()")
        self.all_tasks_done = threading__Condition(self.mutex, "queue", kind + ".join()")
        self.unfinished_tasks = 0

    def task_done(self):
        with self.all_tasks_done:
            unfinished = self.unfinished_tasks - 1
            if unfinished <= 0:
                if unfinished < 0:
                    raise ValueError("task_done() called too many times")
                self.all_tasks_done.notify_all()
            self.unfinished_tasks = unfinished

    def join(self):
        with self.all_tasks_done:
            while self.unfinished_tasks:
                self.all_tasks_done.wait()

    def qsize(self):
        with self.mutex:
            return self._qsize()

    def empty(self):
        with self.mutex:
            return not self._qsize()

    def full(self):
        with self.mutex:
            return 0 < self.maxsize <= self._qsize()

    def put(self, item, block=True, timeout=None):
        with self.not_full:
            if self.maxsize > 0:
                if not block:
                    if self._qsize() >= self.maxsize:
                        raise _queue_mod.Full
                elif timeout is None:
                    while self._qsize() >= self.maxsize:
                        self.not_full.wait()
                elif timeout < 0:
                    raise ValueError("'timeout' must be a non-negative number")
                else:
                    endtime = _time.monotonic() + timeout
                    while self._qsize() >= self.maxsize:
                        remaining = endtime - _time.monotonic()
                        if remaining <= 0.0:
                            raise _queue_mod.Full
                        self.not_full.wait(remaining)
            self._put(item)
            self.unfinished_tasks += 1
            self.not_empty.notify()

    def get(self, block=True, timeout=None):
        with self.not_empty:
            if not block:
                if not self._qsize():
                    raise _queue_mod.Empty
            elif timeout is None:
                while not self._qsize():
                    self.not_empty.wait()
            elif timeout < 0:
                raise ValueError("'timeout' must be a non-negative number")
            else:
                endtime = _time.monotonic() + timeout
                while not self._qsize():
                    remaining = endtime - _time.monotonic()
                    if remaining <= 0.0:
                        raise _queue_mod.Empty
                    self.not_empty.wait(remaining)
            item = self._get()
            self.not_full.notify()
            return item

    def put_nowait(self, item):
        return self.put(item, block=False)

    def get_nowait(self):
        return self.get(block=False)

    # A list stands for CPython's deque.
    def _init(self, maxsize):
        self.queue = []

    def _qsize(self):
        return len(self.queue)

    def _put(self, item):
        self.queue.append(item)

    def _get(self):
        return self.queue.pop(0)


class queue__LifoQueue(queue__Queue):
    def _init(self, maxsize):
        self.queue = []

    def _qsize(self):
        return len(self.queue)

    def _put(self, item):
        self.queue.append(item)

    def _get(self):
        return self.queue.pop()


class queue__PriorityQueue(queue__Queue):
    def _init(self, maxsize):
        self.queue = []

    def _qsize(self):
        return len(self.queue)

    def _put(self, item):
        _heappush(self.queue, item)

    def _get(self):
        return _heappop(self.queue)
