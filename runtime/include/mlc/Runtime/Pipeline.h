//===- Pipeline.h - Calling the AOT Halide pipelines ------------*- C++ -*-===//
#ifndef MLC_RUNTIME_PIPELINE_H
#define MLC_RUNTIME_PIPELINE_H

#include "mlc/Runtime/HostBuffer.h"
#include "mlc/Runtime/Model.h"

#include <vector>

namespace mlc::rt {

/// Prepares the Halide runtime before the first pipeline call: routes
/// halide_error to the runtime (a pipeline error becomes a UserError, never
/// an abort), installs the caching allocator and sets the thread count
/// (`threads` > 0; 0 keeps Halide's default, HL_NUM_THREADS or one per core)
/// of the pool that runs the kernels' parallel loops on the CPU
/// (ThreadPool.h; at most one thread per core).
/// For a GPU model it selects GPU `device` (-1: Halide's default,
/// HL_GPU_DEVICE) and checks that the device works, failing with a message
/// that says what is missing (no driver, no GPU) before the first step.
void initHalide(const ModelSpec &model, int threads, int device);

/// The runtime's buffers for one call, by ArgSpec role; entries a pipeline
/// does not use may stay null.
struct PipelineBuffers {
  std::vector<HostBuffer *> paramIn, paramOut;
  std::vector<HostBuffer *> stateIn, stateOut;
  std::vector<HostBuffer *> data;    // the function's Data inputs
  std::vector<HostBuffer *> outputs; // loss and metrics, or the predict output
  HostBuffer *step = nullptr;
  // The frozen parameters are the buffers, with the values, of the previous
  // call of the same function: kernels that read only them need not run
  // again (KernelSpec::invariant). Only a Trainer, which owns its
  // parameters, says so.
  bool frozenUnchanged = false;
};

/// Calls `fn` with its arguments in ArgSpec order; a failure throws a
/// UserError with Halide's message.
void callPipeline(const FunctionSpec &fn, const PipelineBuffers &buffers);

/// Checks that the compiled model is consistent (argument indices in range,
/// each pipeline's outputs present); a violation is a compiler bug, reported
/// as "internal error: ..." rather than a crash.
void checkModel(const ModelSpec &model);

} // namespace mlc::rt

#endif // MLC_RUNTIME_PIPELINE_H
