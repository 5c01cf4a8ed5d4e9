#!/usr/bin/env python3
"""Counts the stores a run makes to cache lines that several threads store to.

    samples/bench/shared_lines.py ITEMS -- PROGRAM ARGS...

runs PROGRAM under valgrind's lackey, which prints every store and, with
--trace-sched, which thread runs, and finds the 64-byte lines that more than
one thread stores to. On a machine with several cores each store to such a line
may have to fetch it from another core's cache first. It prints the stores to
them per item (ITEMS: the items the run moves) and how many lines there are,
for each group of lines, a group named by the functions that store to it
(fewer lines, fewer fetches when the lock moves to another core's thread):
lines stored to by the lock's
code are the lock's, by the condition variable's the condition's. A line that
only the harness stores to, shared by the threads, is what a free run must not
have.

Functions of PROGRAM itself are named from its symbol table; stores made by a
shared library (the C library's mutex and condition calls, Boost.Thread) are
named "library". Only the stores of the threads the program starts count (a
thread's own stack is a line no other thread stores to).
"""
import bisect
import collections
import re
import subprocess
import sys
import tempfile

# valgrind loads a position-independent program here on amd64.
PIE_BASE = 0x108000
SHARED_LIBRARIES_FROM = 0x4000000
# The program's first thread parses the options and watches the run; the
# threads it starts are the producers and consumers, whose stores are counted.
MAIN_THREAD = 1


def position_independent(program):
    """Whether the program is loaded where valgrind chooses (a PIE), not where it says."""
    header = subprocess.run(["readelf", "-h", program], capture_output=True, text=True,
                            check=True).stdout
    return "DYN" in header


def symbols(program):
    """(addresses, names) of the program's functions, sorted by address."""
    out = subprocess.run(["nm", "-C", "--defined-only", program], capture_output=True,
                         text=True, check=True).stdout
    base = PIE_BASE if position_independent(program) else 0
    table = []
    for line in out.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in "tTwW":
            table.append((int(parts[0], 16) + base, parts[2]))
    table.sort()
    return [a for a, _ in table], [n for _, n in table]


def short(name):
    """A function's name without its arguments and template arguments."""
    name = name.replace("(anonymous namespace)", "{anonymous}")
    name = re.sub(r"\(.*", "", name)
    while "<" in name:
        reduced = re.sub(r"<[^<>]*>", "", name)
        if reduced == name:
            break
        name = reduced
    return name.split("::")[-2] + "::" + name.split("::")[-1] if "::" in name else name


def census(log, table):
    addresses, names = table
    thread = 0
    last_instruction = 0
    stores = collections.Counter()  # line -> stores to it
    threads = collections.defaultdict(set)  # line -> threads that store to it
    writers = collections.defaultdict(set)  # line -> functions that store to it
    sched = re.compile(r"SCHED\[(\d+)\]:\s+acquired lock")
    for line in log:
        if line.startswith("I"):
            last_instruction = int(line[3:].split(",")[0], 16)
        elif line.startswith(" S") or line.startswith(" M"):
            address = int(line[3:].split(",")[0], 16)
            if thread == MAIN_THREAD:
                continue
            cache_line = address >> 6
            if last_instruction >= SHARED_LIBRARIES_FROM:
                who = "library"
            else:
                i = bisect.bisect_right(addresses, last_instruction) - 1
                who = short(names[i]) if i >= 0 else "?"
            writers[cache_line].add(who)
            threads[cache_line].add(thread)
            stores[cache_line] += 1
        elif "SCHED" in line:
            m = sched.search(line)
            if m:
                thread = int(m.group(1))
    shared = {line: count for line, count in stores.items() if len(threads[line]) > 1}
    return shared, writers


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        sys.exit(__doc__)
    items = int(argv[1])
    command = argv[3:]
    with tempfile.NamedTemporaryFile(mode="r", suffix=".log") as log:
        subprocess.run(["valgrind", "--tool=lackey", "--trace-mem=yes", "--trace-sched=yes",
                        "--log-file=" + log.name] + command, check=True,
                       stdout=subprocess.DEVNULL)
        shared, writers = census(log, symbols(command[0]))
    groups = collections.Counter()
    lines = collections.Counter()
    for cache_line, count in shared.items():
        group = " + ".join(sorted(writers[cache_line]))
        groups[group] += count
        lines[group] += 1
    print("stores to lines that several threads store to, per item (%d items), and lines:" % items)
    for group, count in groups.most_common():
        if count / items >= 0.01:
            print("%8.2f  %5d  %s" % (count / items, lines[group], group))
    print("%8.2f  %5d  in all" % (sum(shared.values()) / items, len(shared)))


if __name__ == "__main__":
    main(sys.argv)
