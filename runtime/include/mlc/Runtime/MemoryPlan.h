//===- MemoryPlan.h - The static memory plan --------------------*- C++ -*-===//
//
// Everything a run allocates is sized before the first step: parameters and
// optimizer state (two copies of what train_step updates), the data batch
// buffers, the temps passed between kernels (one arena planned over their
// live ranges, runtime/include/mlc/Runtime/Program.h) and what kernels
// allocate inside Halide, which the caching allocator keeps after the first
// step.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_MEMORYPLAN_H
#define MLC_RUNTIME_MEMORYPLAN_H

#include "mlc/Runtime/Model.h"

#include <cstdint>
#include <cstdio>

namespace mlc::rt {

struct MemoryPlan {
  int64_t batchSize = 0;
  int64_t params = 0;   // both copies of updated parameters, frozen ones once
  int64_t state = 0;    // both copies of the optimizer state
  int64_t batches = 0;  // data batch, step and loss/metric buffers
  int64_t activations = 0; // train_step's temps, in the planned arena
  int64_t unshared = 0;    // the same temps without sharing bytes
  int64_t scratch = 0;  // what kernels allocate inside Halide
  int64_t estimate = 0; // the compiler's estimate of `scratch`
  bool measured = false;
  int64_t total() const { return params + state + batches + activations + scratch; }
};

/// The plan of a training run with `batchSize`, the scratch estimated.
MemoryPlan estimatePlan(const ModelSpec &model, int64_t batchSize);

void printPlan(const MemoryPlan &plan, std::FILE *out);

} // namespace mlc::rt

#endif // MLC_RUNTIME_MEMORYPLAN_H
