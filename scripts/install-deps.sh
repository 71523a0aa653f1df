#!/usr/bin/env bash
# Installs the Debian 12 packages mlc needs to build and test. Idempotent: it
# calls apt-get only when something is missing. Run as root or with sudo.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ python3 python3-numpy ccache
  python3-sklearn python3-torch   # the digits data set; PyTorch for the parity tests
  libopenblas0-pthread            # PyTorch's BLAS (bench/): OpenBLAS, not the reference BLAS
  llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools  # MLIR 19, lit, FileCheck
  libhalide14-0-dev                                       # Halide 14 (code generation)
  libfmt-dev libgtest-dev libcli11-dev nlohmann-json3-dev
  clang-19 libclang-rt-19-dev                             # libFuzzer (scripts/fuzz.sh)
  pocl-opencl-icd ocl-icd-opencl-dev  # OpenCL on the CPU: --target opencl executables run in the tests
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages are installed"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
