#!/usr/bin/env bash
# From a fresh Debian 12 machine to the main job: installs the packages,
# builds mlc, then the pre-train -> fine-tune workflow on real data
# (scikit-learn's digits, from Debian's python3-sklearn):
#   1. pre-train the digits autoencoder (examples/digits/autoencoder.dsl),
#   2. fine-tune the classifier from its checkpoint with the encoder frozen
#      (examples/digits/classifier.dsl) and fully (the same without `freeze`),
#   3. print the test accuracy of both;
# and finally the seed's 1000-wide autoencoder (examples/autoencoder.dsl) on
# generated points, its checkpoint read back with Python's json + struct.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

bash scripts/install-deps.sh
bash scripts/build.sh

MLC=$ROOT/build/bin/mlc
mkdir -p build/quickstart
cd build/quickstart

echo "== digits: 1797 8x8 images, a fixed stratified 80/20 split"
/usr/bin/python3 "$ROOT/scripts/digits_data.py" digits

echo "== compile: the autoencoder, the frozen and the fully fine-tuned classifier"
time "$MLC" compile "$ROOT/examples/digits/autoencoder.dsl" -o digits_ae
"$MLC" compile "$ROOT/examples/digits/classifier.dsl" -o digits_frozen
cp "$ROOT/examples/digits/autoencoder.dsl" .
grep -v '^ *freeze' "$ROOT/examples/digits/classifier.dsl" > classifier_full.dsl
"$MLC" compile classifier_full.dsl -o digits_full

echo "== pre-train the autoencoder (MSE, Adam) on the training images"
./digits_ae train --data x=digits/train_x.npy --seed 0 --save digits_ae.safetensors
./digits_ae eval --weights digits_ae.safetensors --data x=digits/test_x.npy

# Both classifiers load the encoder from digits_ae.safetensors (the DSL's
# `init model.pretrained from "digits_ae.safetensors"`).
echo "== fine-tune with the encoder frozen (only the head trains)"
./digits_frozen train --data x=digits/train_x.npy --data y=digits/train_y.npy --seed 0 \
  --save digits_frozen.safetensors
echo "== fine-tune the whole model"
./digits_full train --data x=digits/train_x.npy --data y=digits/train_y.npy --seed 0 \
  --save digits_full.safetensors

echo "== test accuracy (360 held-out digits)"
for v in frozen full; do
  acc=$(./digits_$v eval --weights digits_$v.safetensors --data x=digits/test_x.npy \
          --data y=digits/test_y.npy | awk '$1 == "accuracy" { printf "%.1f %%", 100 * $2 }')
  echo "  encoder $v: $acc"
done

echo "== the seed autoencoder (1000 -> 2 -> 1000) on generated points"
time "$MLC" compile "$ROOT/examples/autoencoder.dsl" -o autoencoder
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
