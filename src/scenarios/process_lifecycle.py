# The life of a process: created, started, running, joined, gone.
#
# `multiprocessing.Process(...)` only makes an object: nothing runs yet and nothing is alive.
# `start()` asks the operating system for a new process (a fork on Linux): the parent pays for
# it, and the child first has to boot its copy of Python before it runs `cook`. The child is a
# separate kitchen with its own memory and its own GIL. When `cook` returns, the child still
# has to shut down (exit handlers, the kernel freeing its memory), and `join()` waits for all
# of that. After the join the process is gone: not alive, its memory returned.
import multiprocessing

CPU_N = 10**7


def cook(dish):
    print(f"kitchen: cooking {dish}")  # runs in the child process
    sum(i * i for i in range(CPU_N))
    print(f"kitchen: {dish} ready")


# Only the main program starts processes (see processes.py).
if __name__ == "__main__":
    kitchen = multiprocessing.Process(target=cook, args=("soup",), name="soup kitchen")
    print(f"main: created, alive: {kitchen.is_alive()}")
    kitchen.start()  # the fork: the parent's cost; the child boots on its own
    print(f"main: started, alive: {kitchen.is_alive()}")
    kitchen.join()  # waits for cook to return and for the child to shut down
    print(f"main: joined, alive: {kitchen.is_alive()}")
