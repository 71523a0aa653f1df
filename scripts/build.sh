#!/usr/bin/env bash
# Configures (once) and builds mlc in build/ (or $MLC_BUILD_DIR): Release,
# Ninja, ccache when available.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${MLC_BUILD_DIR:-build}

if [ ! -f "$BUILD/build.ninja" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -G Ninja -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}"
fi
cmake --build "$BUILD" -j "$(nproc)" "$@"
