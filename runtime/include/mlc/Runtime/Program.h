//===- Program.h - Running a function compiled as kernels -------*- C++ -*-===//
//
// `mlc compile` splits each function into a sequence of AOT Halide kernels
// (one per op or fused group) so that Halide lowers many small pipelines
// instead of one deep one. The kernels pass activations and gradients
// through temps; the runtime places every temp in one arena, sized once from
// the temps' live ranges (two temps share bytes when no kernel sees both),
// and calls the kernels in order. No allocation happens after the first call
// unless a larger batch arrives.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_PROGRAM_H
#define MLC_RUNTIME_PROGRAM_H

#include "mlc/Runtime/Model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlc::rt {

/// Where each temp lives in the arena for batch size `batch`.
struct ArenaPlan {
  std::vector<int64_t> offsets; // bytes, 64-aligned
  int64_t bytes = 0;            // the arena's size
  int64_t unshared = 0;         // what the temps would take without sharing
};

/// First fit, largest temps first, over live ranges; `share` false gives
/// every temp its own bytes.
ArenaPlan planArena(const ProgramSpec &program, int64_t batch, bool share = true);

/// GPU models: temps keep their device allocations from call to call and
/// never share host bytes. A temp's host copy can be brought back by Halide
/// at any time (a device-dirty buffer a host stage touches); with shared
/// bytes that copy would overwrite another temp.
void setProgramsOnDevice(bool onDevice);

/// Calls the kernels of `fn.program` on the function's arguments (`args` as
/// for FunctionSpec::argv). On failure returns Halide's error code and sets
/// `failedKernel`. `frozenUnchanged`: the frozen parameters hold the same
/// values as at the previous call of `fn` (a Trainer's steps); the
/// invariant kernels are then skipped if their inputs are the same buffers
/// and they completed at that call.
int runProgram(const FunctionSpec &fn, void **args, std::string &failedKernel,
               bool frozenUnchanged = false);

/// Kernel timing: off by default (a clock read per kernel call).
void enableKernelProfile();
/// The kernels of `fn` by total time, as a table (those under `minShare` of the
/// total summed in one line, except kernels skipped at some calls: their
/// line says at how many they ran); "" if never enabled.
std::string kernelProfile(const FunctionSpec &fn, double minShare);

/// Per argument of `fn`: whether it is an output that may be written into
/// its input's memory (the parameter or optimizer state of the same index):
/// one kernel writes it, that kernel updates in place (KernelSpec::inPlace)
/// and no later kernel reads the input.
std::vector<bool> inPlaceOutputs(const FunctionSpec &fn);

/// Checks slots and temps; returns a description of the first problem or "".
std::string checkProgram(const FunctionSpec &fn);

} // namespace mlc::rt

#endif // MLC_RUNTIME_PROGRAM_H
