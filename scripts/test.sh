#!/usr/bin/env bash
# The whole test suite: builds what is needed, then runs every test (lit +
# FileCheck, GoogleTest, the fuzz-corpus replay) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${MLC_BUILD_DIR:-build}

bash scripts/build.sh
cd "$BUILD"
ctest --output-on-failure -j "$(nproc)"
