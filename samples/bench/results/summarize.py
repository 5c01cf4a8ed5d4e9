#!/usr/bin/env python3
"""The README's Performance tables from several full runs of `bench --csv`.

    samples/bench/results/summarize.py run1.csv run2.csv run3.csv

Within each run, as bench prints it: a variant's figure in a configuration is
the median over the repetitions of its ratio to sync_bounded_queue in the same
repetition; a lesson's harness cost is the median over the repetitions of its
rate divided by its plain twin's in the same repetition. Across the runs: the
median of the runs' figures, and the lowest and highest of them.
"""
import csv
import statistics
import sys
from collections import defaultdict


def twins_of(rows):
    """Each lesson's plain twin, as bench names it in its CSV's twin column (a CSV
    from before the column, such as before.csv, has none)."""
    return {r["variant"]: r["twin"] for r in rows if r.get("twin")}


def load(path):
    rows = list(csv.DictReader(open(path, newline="")))
    ratio = defaultdict(list)  # (variant, config) -> ratios over the repetitions
    rate = {}  # (variant, config, rep) -> items/s
    for r in rows:
        config = (int(r["producers"]), int(r["consumers"]), int(r["capacity"]))
        ratio[(r["variant"], config)].append(float(r["ratio_vs_sync_bounded_queue"]))
        rate[(r["variant"], config, int(r["rep"]))] = float(r["items_per_s"])
    figures = {key: statistics.median(values) for key, values in ratio.items()}
    configs = sorted({config for _, config in ratio}, key=lambda c: (c[2], c[0]))
    reps = sorted({rep for _, _, rep in rate})
    twins = twins_of(rows)
    for lesson, twin in twins.items():
        for config in configs:
            paired = [rate[(lesson, config, rep)] / rate[(twin, config, rep)] for rep in reps]
            figures[(lesson + " / " + twin, config)] = statistics.median(paired)
    variants = list(dict.fromkeys(r["variant"] for r in rows))
    return figures, configs, variants + [lesson + " / " + twin for lesson, twin in twins.items()]


def main(paths):
    runs = [load(path) for path in paths]
    configs, names = runs[0][1], runs[0][2]
    header = " | ".join(f"{p}x{c} c{cap}" for p, c, cap in configs)
    print(f"median of {len(runs)} runs (lowest-highest)\n")
    print(f"| variant | {header} |")
    print("|---" * (len(configs) + 1) + "|")
    for name in names:
        cells = []
        for config in configs:
            values = [figures[(name, config)] for figures, _, _ in runs]
            cells.append(f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
