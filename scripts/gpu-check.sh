#!/usr/bin/env bash
# The prepared GPU check: GPU executables built here, run on a GPU machine.
#
#   scripts/gpu-check.sh prepare [OUT] [--only M...] [--steps K] [--target cuda|opencl]
#       here, after scripts/build.sh: compiles every example and benchmark
#       model for --target cuda into OUT (default build/gpu-check) with its
#       data and the CPU executable's losses for K steps (default 20).
#   scripts/gpu-check.sh run [OUT] [--only M...] [--device N]
#       on the GPU machine (nothing is built there; python3's standard
#       library is enough): trains each GPU executable K steps, compares its
#       losses with the CPU's (1e-3 relative), prints ms/step next to
#       PyTorch CUDA's when PyTorch with CUDA is installed, writes
#       OUT/results.md. Exit 1 on any failure. A few minutes in all.
#
# With the device tool: prepare here, then run with OUT carried, e.g.
#   run(command="bash scripts/gpu-check.sh run build/gpu-check",
#       carry=["build/gpu-check"], timeout_s=300)
# Record the table in docs/performance.md (GPU section).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=python3
[ "${1:-}" = prepare ] && PY=/usr/bin/python3 # Debian's, as the other scripts
exec "$PY" scripts/gpu_check.py "$@"
