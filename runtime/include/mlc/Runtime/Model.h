//===- Model.h - What a compiled model tells the runtime --------*- C++ -*-===//
//
// The contract between `mlc compile` and the runtime. The compiler writes one
// C++ file defining `mlc::rt::kModel` (parameters, optimizer state, data,
// outputs and the three AOT Halide pipelines) and links it with the runtime
// library, whose main() implements train / eval / predict / info.
//
// Pipelines are called through Halide's `<name>_argv(void **args)` entry:
// `args[i]` points at the halide_buffer_t of argument i, in the order of
// `FunctionSpec::args` (inputs first, then outputs). A 0-d tensor is a
// 0-dimensional buffer. The batch dimension is the buffer's extent, so the
// last partial batch is just a smaller extent. Buffers are dense, row-major
// and start at 0: Halide dimension 0 is the last (innermost) TensorSpec dim.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_MODEL_H
#define MLC_RUNTIME_MODEL_H

#include <cstdint>

struct halide_device_interface_t; // HalideRuntime.h

namespace mlc::rt {

enum class DType { F32, I64 };

constexpr int kMaxRank = 8;
/// The batch dimension N in TensorSpec::dims.
constexpr int64_t kBatch = -1;

struct TensorSpec {
  const char *name; // state_dict / data / output name
  DType dtype;
  int rank;
  int64_t dims[kMaxRank]; // row-major (outermost first); kBatch for N
  /// i64 data that indexes something (class labels, token ids): the runtime
  /// rejects values outside [0, valueLimit) when it loads the data, since the
  /// pipelines do not check them. 0: unchecked.
  int64_t valueLimit = 0;
};

struct ParamSpec {
  TensorSpec tensor; // never has the batch dim
  const char *init;  // "uniform" (U(-scale, scale)), "normal" (N(0, scale)), "ones", "zeros"
  double scale;
  bool frozen;          // not updated by train_step
  const char *initFrom; // `init ... from "file"` in the DSL, or nullptr
  const char *initKey;  // the tensor's name in that file, or nullptr
};

/// Optimizer state tensor: same shape as its parameter, starts at zero.
struct StateSpec {
  const char *name; // "optimizer.<param>.exp_avg", ...
  int param;        // index into ModelSpec::params
};

/// One argument of a pipeline. For inputs, Param/State/Data/Step select the
/// runtime's buffer; for outputs, Param/State are the updated values and
/// Output the loss or a metric (0-d f32) or the predict output.
struct ArgSpec {
  enum Role { Param, State, Step, Data, Output } role;
  int index;   // into params, state, data (or predictInputs), or outputs
  bool output; // false: input, true: written by the pipeline
};

/// A buffer a program's kernels pass between them (an activation kept for
/// the backward pass, a gradient): dense, row-major, live from the kernel
/// that writes it (`first`) to the last that reads it (`last`).
struct TempSpec {
  DType dtype;
  int rank;
  int64_t dims[kMaxRank]; // kBatch for N
  int first, last;        // kernel indices
};

/// One AOT Halide kernel of a program. `args[i]` is a slot: below
/// FunctionSpec::numArgs the function's own argument i, above it temp
/// (slot - numArgs); kBatchSlot passes the batch size as an int32 scalar.
/// Inputs come first, outputs last, as Halide orders a pipeline's arguments.
struct KernelSpec {
  const char *name;
  int (*argv)(void **args);
  int numArgs;
  const int *args;
  int numOutputs = 0; // the last numOutputs of args
  // Its outputs may be its inputs' memory: each output element is computed
  // from the same element of the inputs, the first output before the others
  // read theirs (an optimizer update on the CPU: parameter, then state).
  bool inPlace = false;
  // Reads only frozen parameters (a frozen weight packed for the products
  // that read it) and writes temps alive for the whole program: while the
  // caller vouches that the frozen parameters are unchanged since its last
  // call (a Trainer's steps), its outputs from then are still valid and it
  // is not run again (runProgram).
  bool invariant = false;
};
constexpr int kBatchSlot = -1;

/// A function compiled as a sequence of kernels. The runtime places the
/// temps in one arena, planned once from their live ranges.
struct ProgramSpec {
  int numKernels;
  const KernelSpec *kernels;
  int numTemps;
  const TempSpec *temps;
  int batchArg; // the argument whose outermost extent is N; -1 if none
};

struct FunctionSpec {
  const char *name;
  int (*argv)(void **args); // one Halide pipeline's <name>_argv, or null with a program
  int numArgs;
  const ArgSpec *args;
  const ProgramSpec *program = nullptr; // kernels called in order
};

struct Hyper {
  const char *name; // "lr", "betas", "eps", "weight_decay", "momentum"
  int count;        // 1, or 2 for betas
  double values[2];
};

struct ModelSpec {
  const char *trainName; // the DSL train block
  const char *modelName; // the trained model
  const char *target;    // Halide target string the pipelines were built for

  int numParams;
  const ParamSpec *params;
  int numState;
  const StateSpec *state;

  int numData; // the train block's `data` declarations, all batched on dim 0
  const TensorSpec *data;
  int numPredictInputs; // the model's forward arguments
  const TensorSpec *predictInputs;
  int numOutputs; // "loss", then each metric
  const char *const *outputs;
  TensorSpec predictOutput;

  const char *optimizer; // "SGD", "Adam", "AdamW"
  int numHyper;
  const Hyper *hyper;
  int64_t batchSize; // DSL defaults, overridable by flags
  int64_t epochs;

  FunctionSpec trainStep; // (params, state, [step], data) -> (params', state', loss, metrics)
  FunctionSpec evalStep;  // (params, data) -> (loss, metrics)
  FunctionSpec predict;   // (params, inputs) -> output

  // Bytes a single-pipeline function allocates inside Halide per batch
  // element and independent of the batch (0 for programs, whose temps are
  // planned by the runtime).
  int64_t scratchBytesPerSample;
  int64_t scratchBytesFixed;

  /// GPU targets: the device the kernels run on (Halide's CUDA or OpenCL
  /// interface, from the standalone runtime linked in) and its API's name;
  /// null for CPU targets.
  const halide_device_interface_t *(*deviceInterface)() = nullptr;
  const char *deviceApi = nullptr;
};

/// Defined by the file `mlc compile` generates for each model.
extern const ModelSpec kModel;

} // namespace mlc::rt

#endif // MLC_RUNTIME_MODEL_H
