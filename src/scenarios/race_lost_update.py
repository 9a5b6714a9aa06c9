# A lost update: three chefs keep one tally of plates served.
#
# First, each chef runs `tally += 1` in a tight loop. In CPython 3.11 this loses nothing: a
# thread gives up the GIL only at certain points (the jump back to the top of a loop, a call),
# never between the read of `tally` and the write. That is luck, not a promise: the language
# does not guarantee it, CPython before 3.10 could switch in between, a free-threaded build
# runs the chefs truly at once, and the moment the update calls anything the switch can come
# in between. The second kitchen shows it.
#
# There each chef reads the tally, goes to serve a plate (`time.sleep`, which releases the
# GIL) and then writes what it read plus one. All three read the same number, so each round
# the three updates count as one: most of the plates are lost.
#
# The third kitchen guards read-serve-write with a `threading.Lock`: every plate counts, but
# the chefs now serve one at a time, and it takes three times as long.
import threading
import time

CHEFS = 3
PLATES = 1000000
ROUNDS = 5
SERVE_SECONDS = 0.01
tally = 0
tally_lock = threading.Lock()


def count_bare():
    global tally
    for _ in range(PLATES):
        tally += 1  # read, add, write: no switch falls in between in CPython 3.11


def count_with_a_pause():
    global tally
    for _ in range(ROUNDS):
        seen = tally
        time.sleep(SERVE_SECONDS)  # another chef reads the same tally meanwhile
        tally = seen + 1


def count_with_a_lock():
    global tally
    for _ in range(ROUNDS):
        with tally_lock:  # one chef at a time between the read and the write
            seen = tally
            time.sleep(SERVE_SECONDS)
            tally = seen + 1


def kitchen(count, label):
    global tally
    tally = 0
    chefs = [threading.Thread(target=count, name=f"chef {n} ({label})") for n in range(1, CHEFS + 1)]
    for chef in chefs:
        chef.start()
    for chef in chefs:
        chef.join()
    return tally


print(f"tally += 1: {kitchen(count_bare, '+=')} of {CHEFS * PLATES}")
print(f"read, serve, write: {kitchen(count_with_a_pause, 'pause')} of {CHEFS * ROUNDS}")
print(f"with a lock: {kitchen(count_with_a_lock, 'lock')} of {CHEFS * ROUNDS}")
