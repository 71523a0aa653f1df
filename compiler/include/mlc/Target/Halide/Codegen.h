//===- Codegen.h - mlc dialect to Halide pipelines and objects --*- C++ -*-===//
//
// The interface the driver sees; it includes no Halide header, so tools built
// without exceptions can call it (the implementation catches Halide's).
//
//===----------------------------------------------------------------------===//
#ifndef MLC_TARGET_HALIDE_CODEGEN_H
#define MLC_TARGET_HALIDE_CODEGEN_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mlc {

struct CodegenOptions {
  /// "host" (the build machine), "cuda" (host + CUDA PTX at
  /// `cudaCapability`), "opencl" (host + OpenCL) or a Halide target string.
  std::string target = "host";
  int cudaCapability = 86;
  /// "manual" (the schedules the schedule pass chose) or an autoscheduler:
  /// "adams2019", "li2018", "mullapudi2016".
  std::string scheduler = "manual";
  /// Keep Halide's checks of every buffer a kernel is passed.
  bool asserts = false;
  /// Processes compiling kernels at once.
  unsigned jobs = 1;
};

/// Whether `options.target` runs its kernels on a GPU (CUDA or OpenCL);
/// false also for an invalid target (see targetError).
bool isGpuTarget(const CodegenOptions &options);

/// What is wrong with `options.target` (an unknown name, a CUDA capability
/// Halide cannot generate, a scheduler that cannot serve a GPU), or "".
std::string targetError(const CodegenOptions &options);

/// Prints every function of a scheduled module as a Halide pipeline: the
/// algorithm (one Func per op) then the schedule, in a stable text form.
mlir::LogicalResult emitHalide(mlir::ModuleOp module, const CodegenOptions &options,
                               llvm::raw_ostream &os);

/// Compiles @train_step, @eval_step and @predict ahead of time into `dir`:
/// their kernels in `jobs` objects (NoRuntime), one standalone Halide
/// runtime object, and `model.cpp` defining the runtime's kModel.
/// Returns the files to link, in order.
mlir::FailureOr<std::vector<std::string>>
compileToObjects(mlir::ModuleOp module, const CodegenOptions &options, const std::string &dir);

/// Links the files of compileToObjects with the mlc runtime library into an
/// executable, calling the system C++ compiler ($CXX, else c++). The output
/// appears atomically: linked to a temporary name, then renamed.
bool linkExecutable(const std::vector<std::string> &files, const std::string &output);

} // namespace mlc

#endif // MLC_TARGET_HALIDE_CODEGEN_H
