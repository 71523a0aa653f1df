//===- Trainer.h - The optimizer step over fixed buffers --------*- C++ -*-===//
//
// Parameters and optimizer state that an optimizer kernel updates in place
// (Program.h, inPlaceOutputs: Adam and plain SGD on the CPU) have one copy,
// read and written by the step. The others live in two copies allocated
// once: a step reads the current copy and writes the other, then the two
// are swapped. Frozen parameters, which train_step only reads, have one.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_TRAINER_H
#define MLC_RUNTIME_TRAINER_H

#include "mlc/Runtime/Batches.h"
#include "mlc/Runtime/Checkpoint.h"
#include "mlc/Runtime/HostBuffer.h"

#include <memory>
#include <vector>

namespace mlc::rt {

class Trainer {
public:
  Trainer(const ModelSpec &model, Weights weights, int64_t batchSize);

  /// One optimizer step on data rows `rows[0..n)`; `t` is the step number
  /// (from 1, Adam's bias correction). Returns the loss, then the metrics.
  std::vector<double> step(const DataSet &data, const int64_t *rows, int64_t n, int64_t t);

  /// The current values (copied back from a device if a GPU pipeline ran).
  const Weights &weights();

  /// Bytes of every copy of the parameters (updated and frozen).
  int64_t paramBytes() const;
  int64_t stateBytes() const;
  /// Data batch, step and output buffers.
  int64_t batchBytes() const;

private:
  const ModelSpec &model_;
  Weights copies_[2]; // [0] is current; [1] receives the next step
  std::vector<std::unique_ptr<HostBuffer>> params_[2], state_[2];
  std::vector<bool> paramUpdated_, stateUpdated_; // train_step writes them
  std::vector<bool> paramInPlace_, stateInPlace_; // ... into their own memory
  BatchBuffers batch_;
  Tensor stepValue_;
  HostBuffer stepBuffer_;
  std::vector<Tensor> outputs_;
  std::vector<std::unique_ptr<HostBuffer>> outputBuffers_;
  bool stepped_ = false; // a step has run (its frozen parameters' packing kept)
};

} // namespace mlc::rt

#endif // MLC_RUNTIME_TRAINER_H
