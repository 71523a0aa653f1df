//===- HostBuffer.h - halide_buffer_t over host memory ----------*- C++ -*-===//
//
// Halide numbers dimensions innermost first, so a row-major tensor of shape
// [d0, ..., dk] becomes a buffer whose dimension 0 has extent dk and stride 1
// and whose last dimension is d0 (the batch dimension of data). A 0-d tensor
// is a 0-dimensional buffer.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_HOSTBUFFER_H
#define MLC_RUNTIME_HOSTBUFFER_H

#include "mlc/Runtime/Tensor.h"

#include <HalideRuntime.h>

#include <memory>
#include <vector>

namespace mlc::rt {

class HostBuffer {
public:
  HostBuffer() = default;
  explicit HostBuffer(Tensor &tensor) { reset(tensor); }
  HostBuffer(const HostBuffer &) = delete;
  HostBuffer &operator=(const HostBuffer &) = delete;
  /// Frees a device copy, if a GPU pipeline made one.
  ~HostBuffer();

  /// Describes `tensor`'s memory (which must outlive the buffer).
  void reset(Tensor &tensor);
  /// Points the buffer at other host memory of the same layout (a batch's
  /// rows read in place from the data set); marks it dirty.
  void setHost(void *host);
  /// Sets the extent of the outermost tensor dimension (the batch).
  void setBatch(int64_t n);
  /// Marks the host data as newer than any device copy (after host writes).
  void markHostDirty();
  /// Copies results back from a device before the host reads them.
  void syncToHost();

  halide_buffer_t *get() { return &buf_; }

private:
  halide_buffer_t buf_{};
  halide_dimension_t dims_[kMaxRank];
};

/// A buffer over each tensor that has memory (null for empty Tensor()s); the
/// host data is marked dirty.
std::vector<std::unique_ptr<HostBuffer>> makeBuffers(std::vector<Tensor> &tensors);
std::vector<HostBuffer *> pointers(const std::vector<std::unique_ptr<HostBuffer>> &buffers);

} // namespace mlc::rt

#endif // MLC_RUNTIME_HOSTBUFFER_H
