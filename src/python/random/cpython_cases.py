"""Fills in (or checks) what CPython prints for each case of cpython_3_11.txt.

Each case is `SEED | PROGRAM | PRINTED`: PROGRAM runs with `r = random.Random(SEED)` and
prints one line, PRINTED. The kitchen's `random` must print the same (src/python/random/
tests.rs runs every case through it). Run with the CPython the kitchen follows (3.11):

    python3 src/python/random/cpython_cases.py          # rewrites the PRINTED column
    python3 src/python/random/cpython_cases.py --check  # says which cases differ
"""
import contextlib
import io
import pathlib
import random
import sys

TABLE = pathlib.Path(__file__).with_name("cpython_3_11.txt")


def printed(seed, program):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(program, {"r": random.Random(eval(seed))})
    return out.getvalue().rstrip("\n")


def main():
    check = "--check" in sys.argv
    lines, wrong = [], 0
    for line in TABLE.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            lines.append(line)
            continue
        seed, program, was = (part.strip() for part in line.split(" | "))
        now = printed(seed, program)
        if now != was:
            wrong += 1
            print(f"differs: {seed} | {program}\n  table:   {was}\n  CPython: {now}")
        lines.append(f"{seed} | {program} | {now}")
    if not check:
        TABLE.write_text("\n".join(lines) + "\n")
    print(f"{wrong} case(s) differ", file=sys.stderr)
    sys.exit(1 if check and wrong else 0)


if __name__ == "__main__":
    main()
