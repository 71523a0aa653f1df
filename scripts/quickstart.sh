#!/usr/bin/env bash
# From a fresh Debian 12 machine to the main job: installs the packages,
# builds mlc, compiles the seed autoencoder (examples/autoencoder.dsl) into a
# training executable and trains it for two epochs on generated points.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh

mkdir -p build/quickstart
cd build/quickstart
echo "== mlc compile examples/autoencoder.dsl -o autoencoder  (a few minutes: see docs/architecture.md)"
time ../bin/mlc compile ../../examples/autoencoder.dsl -o autoencoder
/usr/bin/python3 - <<'PY'
# 2048 points near a 2-d manifold embedded in 1000 dims: what the seed
# autoencoder's 2-wide bottleneck can learn.
import numpy as np
rng = np.random.default_rng(0)
z = rng.normal(size=(2048, 2))
basis = rng.normal(size=(2, 1000)) / np.sqrt(2)
x = np.tanh(z @ basis) + 0.05 * rng.normal(size=(2048, 1000))
np.save("points.npy", x.astype(np.float32))
PY
./autoencoder train --data x=points.npy --epochs 2 --save ae.safetensors
/usr/bin/python3 - <<'PY'
import json, struct
f = open("ae.safetensors", "rb")
n = struct.unpack("<Q", f.read(8))[0]
h = json.loads(f.read(n))
print("ae.safetensors: encoder.0.weight", h["encoder.0.weight"]["shape"], "-", len(h) - 1, "tensors")
PY
