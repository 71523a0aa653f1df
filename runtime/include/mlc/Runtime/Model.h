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

struct FunctionSpec {
  const char *name;
  int (*argv)(void **args); // Halide's <name>_argv
  int numArgs;
  const ArgSpec *args;
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

  // Static memory plan: bytes of the intermediates each pipeline allocates
  // per batch element and independent of the batch (filled by the compiler).
  int64_t scratchBytesPerSample;
  int64_t scratchBytesFixed;
};

/// Defined by the file `mlc compile` generates for each model.
extern const ModelSpec kModel;

} // namespace mlc::rt

#endif // MLC_RUNTIME_MODEL_H
