#!/usr/bin/env python3
"""Compares two `train --log` CSVs step by step.

usage: compare_losses.py A.csv B.csv [--rtol R] [--columns loss,accuracy]

For each column: max over steps of |a - b| / max(|a|, 1e-6). Prints
"N steps, <column> max rel diff X" per column and exits 1 if the step
columns differ or any difference exceeds --rtol.
"""
import argparse
import csv
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--rtol", type=float, default=1e-3)
    ap.add_argument("--columns", default="loss")
    args = ap.parse_args()
    a = list(csv.DictReader(open(args.a)))
    b = list(csv.DictReader(open(args.b)))
    if len(a) != len(b) or [r["step"] for r in a] != [r["step"] for r in b]:
        print(f"different steps: {len(a)} vs {len(b)} rows")
        return 1
    ok = True
    for col in args.columns.split(","):
        worst, at = 0.0, None
        for ra, rb in zip(a, b):
            x, y = float(ra[col]), float(rb[col])
            d = abs(x - y) / max(abs(x), 1e-6)
            if d > worst:
                worst, at = d, ra["step"]
        print(f"{len(a)} steps, {col} max rel diff {worst:.2e}"
              + (f" (step {at})" if at else ""))
        ok &= worst <= args.rtol
    if not ok:
        print(f"FAIL: above rtol {args.rtol}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
