//===- Batches.h - Fixed batch buffers filled from the data -----*- C++ -*-===//
#ifndef MLC_RUNTIME_BATCHES_H
#define MLC_RUNTIME_BATCHES_H

#include "mlc/Runtime/DataSet.h"
#include "mlc/Runtime/HostBuffer.h"

#include <memory>
#include <vector>

namespace mlc::rt {

/// One [batchSize, ...] buffer per input, allocated once; each batch copies
/// its rows in, or is read in place from the data set when its rows are
/// consecutive (an unshuffled order, eval, predict), and sets the batch
/// extent (the last batch may be smaller).
class BatchBuffers {
public:
  BatchBuffers(const TensorSpec *specs, int count, int64_t batchSize);

  /// Gathers rows[0..n) of `data` (n <= batchSize).
  void fill(const DataSet &data, const int64_t *rows, int64_t n);
  /// Rows first..first+n of `data`, in place (`data` must outlive their use).
  void fillRange(const DataSet &data, int64_t first, int64_t n);

  std::vector<HostBuffer *> buffers() const;
  int64_t bytes() const;

private:
  std::vector<Tensor> tensors_;
  std::vector<std::unique_ptr<HostBuffer>> buffers_;
};

/// Bytes of one sample of `spec` (the product of its non-batch dims).
int64_t sampleBytes(const TensorSpec &spec);

} // namespace mlc::rt

#endif // MLC_RUNTIME_BATCHES_H
