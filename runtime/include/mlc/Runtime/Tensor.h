//===- Tensor.h - Host arrays: as read from files, and as the model's --*- C++ -*-===//
//
// An Array is what a .npy, .csv or safetensors file holds (any of the element
// types those formats name); a Tensor is a model value (f32 or i64), stored
// row-major in aligned memory that Halide pipelines read and write.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_TENSOR_H
#define MLC_RUNTIME_TENSOR_H

#include "mlc/Runtime/Model.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mlc::rt {

using Shape = std::vector<int64_t>;

/// Element types found in data and checkpoint files.
enum class ElemType { Bool, U8, I8, I16, I32, I64, U16, U32, U64, F16, BF16, F32, F64 };

size_t elemSize(ElemType type);
/// numpy's name ("float32", "int64", ...), for messages.
const char *elemName(ElemType type);

size_t dtypeSize(DType dtype);
/// The DSL's name: "f32" or "i64".
const char *dtypeName(DType dtype);

/// The number of elements of `shape`, or -1 if it overflows int64 or has a
/// negative dimension.
int64_t numElements(const Shape &shape);

/// "[2, 3]"; "[]" for a 0-d shape.
std::string formatShape(const Shape &shape);
/// "f32[N, 3]", the DSL's spelling of a tensor type.
std::string formatSpec(const TensorSpec &spec);
/// A TensorSpec's dims (kBatch included).
Shape specDims(const TensorSpec &spec);

/// A dense row-major array as stored in a file, before conversion.
struct Array {
  ElemType type = ElemType::F32;
  Shape shape;
  std::vector<uint8_t> bytes; // little-endian, numElements(shape) * elemSize(type)
};

/// A model value: f32 or i64, row-major, 128-byte aligned, zero-initialized.
class Tensor {
public:
  Tensor() = default;
  Tensor(DType dtype, Shape shape);

  DType dtype() const { return dtype_; }
  const Shape &shape() const { return shape_; }
  int64_t numel() const { return numel_; }
  size_t bytes() const { return size_t(numel_) * dtypeSize(dtype_); }
  void *data() { return data_.get(); }
  const void *data() const { return data_.get(); }
  template <typename T> T *as() { return static_cast<T *>(data()); }
  template <typename T> const T *as() const { return static_cast<const T *>(data()); }

  Tensor clone() const;

private:
  struct Free {
    void operator()(void *p) const;
  };
  DType dtype_ = DType::F32;
  Shape shape_;
  int64_t numel_ = 0;
  std::unique_ptr<void, Free> data_;
};

/// Converts a file's array to a model dtype. f64 -> f32 rounds; integers ->
/// f32 are fine; floats -> i64 must all be integral (and in range). Errors
/// start with `where` (a file, or "file: tensor 'name'").
Tensor convertArray(const Array &array, DType dtype, const std::string &where);

} // namespace mlc::rt

#endif // MLC_RUNTIME_TENSOR_H
