import os

import lit.formats
from lit.llvm import llvm_config

config.name = "MLC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
# .dsl inputs next to the tests are tests themselves; helper inputs live in
# Inputs/ folders, which lit skips.
config.suffixes = [".mlir", ".dsl", ".test"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mlc_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["mlc", "mlc-opt", "mlc-oracle", "mlc-runtime-fake", "mlc-runtime-fake-initfrom"],
    [config.mlc_tools_dir])
config.substitutions.append(("%examples", os.path.join(config.mlc_src_root, "examples")))
config.substitutions.append(("%scripts", os.path.join(config.mlc_src_root, "scripts")))
# Debian's python3 (with numpy), whatever python runs lit; ahead of the
# default %python substitution.
config.substitutions.insert(0, ("%python", config.python_executable))

# PyTorch (Debian's python3-torch) for the parity tests: `REQUIRES: torch`
# makes them UNSUPPORTED, never passing, where it is missing.
import subprocess

if subprocess.run([config.python_executable, "-c", "import torch"],
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
    config.available_features.add("torch")

# GPU paths without a GPU (issue 7).
# `ptxas` (the CUDA toolkit's PTX assembler) checks the PTX of --target cuda.
import shutil

ptxas = shutil.which("ptxas") or (
    "/usr/local/cuda/bin/ptxas" if os.access("/usr/local/cuda/bin/ptxas", os.X_OK) else None)
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))

# `opencl`: an OpenCL platform with a device (PoCL runs --target opencl
# executables on the CPU); `cuda-driver`: an NVIDIA driver, on a machine
# where a --target cuda executable may actually run.
_probe = r"""
import ctypes, sys
try:
    cl = ctypes.CDLL("libOpenCL.so.1")
except OSError:
    sys.exit(1)
n = ctypes.c_uint(0)
sys.exit(0 if cl.clGetPlatformIDs(0, None, ctypes.byref(n)) == 0 and n.value > 0 else 1)
"""
if subprocess.run([config.python_executable, "-c", _probe], stdout=subprocess.DEVNULL,
                  stderr=subprocess.DEVNULL).returncode == 0:
    config.available_features.add("opencl")
if subprocess.run([config.python_executable, "-c",
                   "import ctypes; ctypes.CDLL('libcuda.so.1')"],
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
    config.available_features.add("cuda-driver")
# PoCL compiles each OpenCL kernel at its first launch and caches it; the
# cache goes in the build tree so tests neither depend on nor fill ~/.cache.
config.environment["POCL_CACHE_DIR"] = os.path.join(config.mlc_obj_root, "pocl-cache")
