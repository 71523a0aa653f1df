//===- DataSet.h - Binding --data NAME=PATH to the model's inputs -*- C++ -*-===//
#ifndef MLC_RUNTIME_DATASET_H
#define MLC_RUNTIME_DATASET_H

#include "mlc/Runtime/Tensor.h"

#include <string>
#include <vector>

namespace mlc::rt {

/// Whole data arrays, one per declared input, all with the same N.
struct DataSet {
  std::vector<Tensor> arrays; // arrays[i]: specs[i]'s dtype, shape [N, dims...]
  std::vector<std::string> paths;
  int64_t samples = 0;
};

/// Loads `--data NAME=PATH` flags for the inputs `specs` (each batched on
/// dim 0): every declared name is required and unknown names are rejected;
/// .npy and .csv files are converted to the declared dtype; non-batch dims
/// must match exactly; all arrays must have the same, non-zero N.
DataSet loadData(const TensorSpec *specs, int count, const std::vector<std::string> &flags);

/// Checks the flags' names against `specs` without reading any file.
void checkDataNames(const TensorSpec *specs, int count, const std::vector<std::string> &flags);

} // namespace mlc::rt

#endif // MLC_RUNTIME_DATASET_H
