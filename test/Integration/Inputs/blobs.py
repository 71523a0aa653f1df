#!/usr/bin/env python3
"""Three Gaussian blobs in 6-d as x.npy (f32 [n, 6]) and y.npy (i64 [n])."""
import sys
import numpy as np

out, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(3)
y = rng.integers(0, 3, size=n)
centers = rng.normal(scale=3.0, size=(3, 6))
x = centers[y] + rng.normal(size=(n, 6))
np.save(f"{out}/x.npy", x.astype(np.float32))
np.save(f"{out}/y.npy", y.astype(np.int64))
