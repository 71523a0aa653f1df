//===- Batches.cpp - Fixed batch buffers filled from the data -------------===//

#include "mlc/Runtime/Batches.h"

#include <cassert>
#include <cstring>

namespace mlc::rt {

int64_t sampleBytes(const TensorSpec &spec) {
  int64_t n = int64_t(dtypeSize(spec.dtype));
  for (int i = 1; i < spec.rank; ++i)
    n *= spec.dims[i];
  return n;
}

BatchBuffers::BatchBuffers(const TensorSpec *specs, int count, int64_t batchSize) {
  for (int i = 0; i < count; ++i) {
    Shape shape = specDims(specs[i]);
    shape[0] = batchSize;
    tensors_.emplace_back(specs[i].dtype, shape);
    buffers_.push_back(std::make_unique<HostBuffer>(tensors_.back()));
  }
}

void BatchBuffers::fill(const DataSet &data, const int64_t *rows, int64_t n) {
  assert(data.arrays.size() == tensors_.size());
  bool consecutive = n > 0;
  for (int64_t r = 1; r < n && consecutive; ++r)
    consecutive = rows[r] == rows[0] + r;
  if (consecutive) {
    fillRange(data, rows[0], n);
    return;
  }
  for (size_t i = 0; i < tensors_.size(); ++i) {
    buffers_[i]->setHost(tensors_[i].data());
    assert(n <= tensors_[i].shape()[0]);
    size_t row = tensors_[i].bytes() / size_t(tensors_[i].shape()[0]);
    const uint8_t *src = static_cast<const uint8_t *>(data.arrays[i].data());
    uint8_t *dst = static_cast<uint8_t *>(tensors_[i].data());
    for (int64_t r = 0; r < n; ++r)
      std::memcpy(dst + size_t(r) * row, src + size_t(rows[r]) * row, row);
    buffers_[i]->setBatch(n);
    buffers_[i]->markHostDirty();
  }
}

void BatchBuffers::fillRange(const DataSet &data, int64_t first, int64_t n) {
  for (size_t i = 0; i < tensors_.size(); ++i) {
    assert(n <= tensors_[i].shape()[0]);
    size_t row = tensors_[i].bytes() / size_t(tensors_[i].shape()[0]);
    // The rows in place: the kernels only read their data inputs.
    buffers_[i]->setHost(const_cast<uint8_t *>(
        static_cast<const uint8_t *>(data.arrays[i].data()) + size_t(first) * row));
    buffers_[i]->setBatch(n);
  }
}

std::vector<HostBuffer *> BatchBuffers::buffers() const {
  std::vector<HostBuffer *> list;
  for (const auto &b : buffers_)
    list.push_back(b.get());
  return list;
}

int64_t BatchBuffers::bytes() const {
  int64_t n = 0;
  for (const Tensor &t : tensors_)
    n += int64_t(t.bytes());
  return n;
}

} // namespace mlc::rt
