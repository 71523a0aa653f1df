//===- HostBuffer.cpp - halide_buffer_t over host memory ------------------===//

#include "mlc/Runtime/HostBuffer.h"
#include "mlc/Runtime/Error.h"

#include <cassert>
#include <limits>

namespace mlc::rt {

HostBuffer::~HostBuffer() {
  if (buf_.device)
    halide_device_free(nullptr, &buf_);
}

void HostBuffer::reset(Tensor &tensor) {
  assert(!buf_.device && "reset of a buffer with a device copy");
  const Shape &shape = tensor.shape();
  int rank = int(shape.size());
  assert(rank <= kMaxRank);
  buf_ = halide_buffer_t{};
  buf_.host = static_cast<uint8_t *>(tensor.data());
  buf_.type = tensor.dtype() == DType::F32 ? halide_type_t(halide_type_float, 32)
                                           : halide_type_t(halide_type_int, 64);
  buf_.dimensions = rank;
  buf_.dim = dims_;
  int64_t stride = 1;
  for (int i = 0; i < rank; ++i) {
    int64_t extent = shape[size_t(rank - 1 - i)];
    // Halide's extents and strides are int32.
    if (extent > std::numeric_limits<int32_t>::max() ||
        stride > std::numeric_limits<int32_t>::max())
      fail("tensor of shape {} is too large for a Halide buffer (int32 extents and strides)",
           formatShape(shape));
    dims_[i] = halide_dimension_t(0, int32_t(extent), int32_t(stride));
    stride *= extent;
  }
}

void HostBuffer::setBatch(int64_t n) {
  assert(buf_.dimensions >= 1);
  assert(n >= 0 && n <= std::numeric_limits<int32_t>::max());
  // A device copy is as large as the extent it was made for (a resumed run
  // can start on an epoch's short last batch): growing frees it, and Halide
  // allocates one of the new size at the next use. Callers refill the host
  // data (or have read the results back) before a batch changes.
  if (buf_.device && n > dims_[buf_.dimensions - 1].extent) {
    assert(!buf_.device_dirty() && "growing a buffer whose device copy is newer");
    halide_device_free(nullptr, &buf_);
  }
  dims_[buf_.dimensions - 1].extent = int32_t(n);
}

void HostBuffer::setHost(void *host) {
  buf_.host = static_cast<uint8_t *>(host);
  buf_.set_host_dirty(true);
}

void HostBuffer::markHostDirty() { buf_.set_host_dirty(true); }

void HostBuffer::syncToHost() {
  if (buf_.device && buf_.device_dirty() && halide_copy_to_host(nullptr, &buf_) != 0)
    fail("copying a result back from the device failed");
}

std::vector<std::unique_ptr<HostBuffer>> makeBuffers(std::vector<Tensor> &tensors) {
  std::vector<std::unique_ptr<HostBuffer>> buffers;
  for (Tensor &t : tensors) {
    buffers.push_back(t.data() ? std::make_unique<HostBuffer>(t) : nullptr);
    if (buffers.back())
      buffers.back()->markHostDirty();
  }
  return buffers;
}

std::vector<HostBuffer *> pointers(const std::vector<std::unique_ptr<HostBuffer>> &buffers) {
  std::vector<HostBuffer *> list;
  for (const auto &b : buffers)
    list.push_back(b.get());
  return list;
}

} // namespace mlc::rt
