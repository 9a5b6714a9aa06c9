

# ----- itertools ----------------------------------------------------------------------------------
# CPython writes itertools in C; these are the "roughly equivalent" Python of its documentation
# (Doc/library/itertools.rst, 3.11), lazy as the originals, yielding the same items.

def itertools__count(start=0, step=1):
    n = start
    while True:
        yield n
        n += step


def itertools__cycle(iterable):
    saved = []
    for element in iterable:
        yield element
        saved.append(element)
    while saved:
        for element in saved:
            yield element


def itertools__repeat(obj, times=None):
    if times is None:
        while True:
            yield obj
    else:
        for _ in range(times):
            yield obj


def itertools__islice(iterable, *args):
    if len(args) == 1:
        start, stop, step = 0, args[0], 1
    elif len(args) == 2:
        start, stop, step = args[0], args[1], 1
    elif len(args) == 3:
        start, stop, step = args
    else:
        raise TypeError("islice expected at most 4 arguments, got " + str(len(args) + 1))
    if start is None:
        start = 0
    if step is None:
        step = 1
    if start < 0 or (stop is not None and stop < 0) or step <= 0:
        raise ValueError("Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
    if stop is not None and start >= stop:
        for _ in zip(range(stop), iterable):
            pass
        return
    it = iter(iterable)
    i = 0
    nexti = start
    for element in it:
        if i == nexti:
            yield element
            nexti += step
            if stop is not None and nexti >= stop:
                # Consume up to stop, as CPython's islice does.
                if i + 1 < stop:
                    for _ in zip(range(stop - i - 1), it):
                        pass
                return
        i += 1


def itertools__chain(*iterables):
    for it in iterables:
        for element in it:
            yield element


def itertools__accumulate(iterable, func=None, *, initial=None):
    it = iter(iterable)
    total = initial
    if initial is None:
        got = False
        for total in it:
            got = True
            break
        if not got:
            return
    yield total
    for element in it:
        if func is None:
            total = total + element
        else:
            total = func(total, element)
        yield total


def itertools__starmap(function, iterable):
    for args in iterable:
        yield function(*args)


def itertools__takewhile(predicate, iterable):
    for x in iterable:
        if predicate(x):
            yield x
        else:
            break


def itertools__dropwhile(predicate, iterable):
    it = iter(iterable)
    for x in it:
        if not predicate(x):
            yield x
            break
    for x in it:
        yield x


def itertools__filterfalse(predicate, iterable):
    for x in iterable:
        if (predicate is None and not x) or (predicate is not None and not predicate(x)):
            yield x


def itertools__compress(data, selectors):
    for d, s in zip(data, selectors):
        if s:
            yield d


def itertools__pairwise(iterable):
    it = iter(iterable)
    first = True
    a = None
    for b in it:
        if not first:
            yield (a, b)
        a = b
        first = False


def itertools__zip_longest(*args, fillvalue=None):
    its = [iter(a) for a in args]
    active = len(its)
    if not active:
        return
    done = [False] * len(its)
    while True:
        row = []
        for i in range(len(its)):
            got = False
            if not done[i]:
                for x in its[i]:
                    row.append(x)
                    got = True
                    break
                if not got:
                    done[i] = True
                    active -= 1
                    if not active:
                        return
            if not got:
                row.append(fillvalue)
        yield tuple(row)


def itertools__product(*args, repeat=1):
    pools = [tuple(pool) for pool in args] * repeat
    result = [[]]
    for pool in pools:
        result = [x + [y] for x in result for y in pool]
    for prod in result:
        yield tuple(prod)


def itertools__permutations(iterable, r=None):
    pool = tuple(iterable)
    n = len(pool)
    if r is None:
        r = n
    if r > n:
        return
    indices = list(range(n))
    cycles = list(range(n, n - r, -1))
    yield tuple(pool[i] for i in indices[:r])
    while n:
        found = False
        for i in reversed(range(r)):
            cycles[i] -= 1
            if cycles[i] == 0:
                indices[i:] = indices[i + 1:] + indices[i:i + 1]
                cycles[i] = n - i
            else:
                j = cycles[i]
                indices[i], indices[-j] = indices[-j], indices[i]
                yield tuple(pool[i] for i in indices[:r])
                found = True
                break
        if not found:
            return


def itertools__combinations(iterable, r):
    pool = tuple(iterable)
    n = len(pool)
    if r > n:
        return
    indices = list(range(r))
    yield tuple(pool[i] for i in indices)
    while True:
        found = -1
        for i in reversed(range(r)):
            if indices[i] != i + n - r:
                found = i
                break
        if found < 0:
            return
        i = found
        indices[i] += 1
        for j in range(i + 1, r):
            indices[j] = indices[j - 1] + 1
        yield tuple(pool[i] for i in indices)


def itertools__groupby(iterable, key=None):
    # Each group is a list here (CPython's is a lazy iterator over the same items).
    group = []
    current = None
    started = False
    for x in iterable:
        k = x if key is None else key(x)
        if started and k == current:
            group.append(x)
            continue
        if started:
            yield (current, iter(group))
        current = k
        group = [x]
        started = True
    if started:
        yield (current, iter(group))
