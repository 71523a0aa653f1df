#!/usr/bin/env python3
"""Data for the pre-train -> fine-tune test: N points near a 2-d manifold in
1000 dims (what the seed autoencoder's bottleneck can learn) and a class per
point from the angle of its latent code (10 classes).

usage: finetune_data.py DIR N
"""
import sys

import numpy as np

out, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
z = rng.normal(size=(n, 2))
basis = rng.normal(size=(2, 1000)) / np.sqrt(2)
x = np.tanh(z @ basis) + 0.05 * rng.normal(size=(n, 1000))
y = ((np.arctan2(z[:, 1], z[:, 0]) + np.pi) / (2 * np.pi) * 10).astype(np.int64) % 10
np.save(f"{out}/x.npy", x.astype(np.float32))
np.save(f"{out}/y.npy", y)
