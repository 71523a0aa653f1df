#!/usr/bin/env bash
# From a fresh Debian 12 machine to the main job: installs the packages,
# builds mlc, and compiles the seed autoencoder (examples/autoencoder.dsl)
# to the mlc dialect. Later stages (training executables) extend this job.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh

out=build/autoencoder.mlir
./build/bin/mlc compile examples/autoencoder.dsl --emit=mlir -o "$out"
echo
echo "== mlc compile examples/autoencoder.dsl --emit=mlir -> $out"
echo "parameters: $(grep -c 'mlc.param @' "$out")  ops in @loss: $(sed -n '/func.func @loss/,/return/p' "$out" | grep -c ' = mlc\.')"
sed -n '1,3p;/func.func @loss/,/mlc.relu/p' "$out"
echo "   ..."
