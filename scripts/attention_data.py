#!/usr/bin/python3
"""A task that needs attention: does the pair "3 then 7" (adjacent, in that
order) occur anywhere in a sequence of 32 tokens from a vocabulary of 16?
Half the sequences contain it (once, at a random place), half do not; every
sequence has the same number of 3s and 7s in both classes on average, so
counting tokens (mean pooling without attention) cannot tell them apart.

usage: attention_data.py OUTDIR [TRAIN_N] [TEST_N]
Writes {train,test}_tokens.npy (int64 [N, 32]) and {train,test}_label.npy.
"""
import os
import sys

import numpy as np


def has_pair(s):
    return bool(np.any((s[:-1] == 3) & (s[1:] == 7)))


def make(rng, n):
    tokens = np.zeros((n, 32), np.int64)
    labels = np.zeros(n, np.int64)
    for i in range(n):
        want = i % 2
        while True:
            s = rng.integers(0, 16, size=32)
            if want:
                p = rng.integers(0, 31)
                s[p], s[p + 1] = 3, 7
            else:  # the same tokens, never adjacent in that order
                s[rng.integers(0, 32)] = 3
                s[rng.integers(0, 32)] = 7
            if has_pair(s) == bool(want):
                break
        tokens[i], labels[i] = s, want
    order = rng.permutation(n)
    return tokens[order], labels[order]


out = sys.argv[1] if len(sys.argv) > 1 else "."
ntrain = int(sys.argv[2]) if len(sys.argv) > 2 else 4096
ntest = int(sys.argv[3]) if len(sys.argv) > 3 else 1024
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
for split, n in (("train", ntrain), ("test", ntest)):
    t, l = make(rng, n)
    np.save(os.path.join(out, f"{split}_tokens.npy"), t)
    np.save(os.path.join(out, f"{split}_label.npy"), l)
print(f"attention task: {ntrain} train, {ntest} test sequences -> {out}/")
