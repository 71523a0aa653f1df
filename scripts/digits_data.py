#!/usr/bin/python3
"""Writes scikit-learn's digits (1797 8x8 images, Debian's python3-sklearn)
as .npy: train_x/train_y (1437 samples) and test_x/test_y (360), a fixed
stratified split; pixels scaled from 0..16 to [0, 1] float32, labels int64.

usage: digits_data.py OUTDIR
"""
import os
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

out = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out, exist_ok=True)
digits = load_digits()
x = (digits.data / 16.0).astype(np.float32)
y = digits.target.astype(np.int64)
xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, random_state=0, stratify=y)
for name, a in (("train_x", xtr), ("train_y", ytr), ("test_x", xte), ("test_y", yte)):
    np.save(os.path.join(out, name + ".npy"), a)
print(f"digits: {len(xtr)} train, {len(xte)} test samples of 64 pixels, 10 classes -> {out}/")
