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
# Debian's python3 (with numpy), whatever python runs lit; ahead of the
# default %python substitution.
config.substitutions.insert(0, ("%python", config.python_executable))

# PyTorch (Debian's python3-torch) for the parity tests: `REQUIRES: torch`
# makes them UNSUPPORTED, never passing, where it is missing.
import subprocess

if subprocess.run([config.python_executable, "-c", "import torch"],
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
    config.available_features.add("torch")
