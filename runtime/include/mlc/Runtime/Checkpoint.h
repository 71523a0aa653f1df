//===- Checkpoint.h - Model values in safetensors files ---------*- C++ -*-===//
//
// A checkpoint holds every parameter under its state_dict name, the optimizer
// state under its StateSpec name ("optimizer.<param>.exp_avg", ...) and, in
// __metadata__, where training stands (see Progress) plus the optimizer and
// its hyper-parameters, so that --resume continues the same run.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_CHECKPOINT_H
#define MLC_RUNTIME_CHECKPOINT_H

#include "mlc/Runtime/Safetensors.h"
#include "mlc/Runtime/Tensor.h"

#include <string>
#include <vector>

namespace mlc::rt {

/// The model's values.
struct Weights {
  std::vector<Tensor> params; // ModelSpec::params order
  std::vector<Tensor> state;  // ModelSpec::state order, zeros at the start
};

/// Where training stands; everything --resume needs to continue the run.
struct Progress {
  int64_t step = 0;     // optimizer steps taken (Adam's t of the last one)
  int64_t epoch = 0;    // completed epochs: the current epoch's index
  int64_t position = 0; // samples of the current epoch's order consumed
  uint64_t seed = 0;
  bool shuffle = true;
  int64_t samples = 0; // N of the training data
  int64_t batchSize = 0;
};

/// Zero optimizer state for `model`.
std::vector<Tensor> zeroState(const ModelSpec &model);

/// Writes params, optimizer state and metadata atomically to `path`.
void saveCheckpoint(const std::string &path, const std::string &flag, const ModelSpec &model,
                    const Weights &weights, const Progress &progress);

/// Converts `entry` to `spec`, requiring its exact shape; errors name the
/// file, the tensor and both shapes. `param` names the parameter when it is
/// not the tensor's own name (initKey).
Tensor loadTensor(const SafetensorsFile &file, const SafetensorsEntry &entry,
                  const TensorSpec &spec, const std::string &param = "");

/// --weights: every parameter must be in the file.
std::vector<Tensor> loadWeights(const std::string &path, const ModelSpec &model);

/// --resume: parameters, optimizer state and progress.
void loadResume(const std::string &path, const ModelSpec &model, Weights &weights,
                Progress &progress);

} // namespace mlc::rt

#endif // MLC_RUNTIME_CHECKPOINT_H
