//===- Tensor.cpp - Host arrays and model tensors -------------------------===//

#include "mlc/Runtime/Tensor.h"
#include "mlc/Runtime/Error.h"

#include <cassert>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace mlc::rt {

size_t elemSize(ElemType type) {
  switch (type) {
  case ElemType::Bool:
  case ElemType::U8:
  case ElemType::I8:
    return 1;
  case ElemType::I16:
  case ElemType::U16:
  case ElemType::F16:
  case ElemType::BF16:
    return 2;
  case ElemType::I32:
  case ElemType::U32:
  case ElemType::F32:
    return 4;
  case ElemType::I64:
  case ElemType::U64:
  case ElemType::F64:
    return 8;
  }
  return 0;
}

const char *elemName(ElemType type) {
  switch (type) {
  case ElemType::Bool:
    return "bool";
  case ElemType::U8:
    return "uint8";
  case ElemType::I8:
    return "int8";
  case ElemType::I16:
    return "int16";
  case ElemType::I32:
    return "int32";
  case ElemType::I64:
    return "int64";
  case ElemType::U16:
    return "uint16";
  case ElemType::U32:
    return "uint32";
  case ElemType::U64:
    return "uint64";
  case ElemType::F16:
    return "float16";
  case ElemType::BF16:
    return "bfloat16";
  case ElemType::F32:
    return "float32";
  case ElemType::F64:
    return "float64";
  }
  return "?";
}

size_t dtypeSize(DType dtype) { return dtype == DType::F32 ? 4 : 8; }
const char *dtypeName(DType dtype) { return dtype == DType::F32 ? "f32" : "i64"; }

int64_t numElements(const Shape &shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d != 0 && n > std::numeric_limits<int64_t>::max() / d))
      return -1;
    n *= d;
  }
  return n;
}

std::string formatShape(const Shape &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

Shape specDims(const TensorSpec &spec) { return Shape(spec.dims, spec.dims + spec.rank); }

std::string formatSpec(const TensorSpec &spec) {
  std::string s = std::string(dtypeName(spec.dtype)) + "[";
  for (int i = 0; i < spec.rank; ++i) {
    s += i ? ", " : "";
    s += spec.dims[i] == kBatch ? "N" : std::to_string(spec.dims[i]);
  }
  return s + "]";
}

// Halide pipelines vectorize; 128 bytes covers any vector width and cache line.
constexpr size_t kAlignment = 128;

void Tensor::Free::operator()(void *p) const { std::free(p); }

Tensor::Tensor(DType dtype, Shape shape) : dtype_(dtype), shape_(std::move(shape)) {
  numel_ = numElements(shape_);
  assert(numel_ >= 0 && "tensor shape overflows");
  size_t size = (bytes() + kAlignment - 1) / kAlignment * kAlignment;
  void *p = std::aligned_alloc(kAlignment, size ? size : kAlignment);
  if (!p)
    throw std::bad_alloc();
  std::memset(p, 0, size ? size : kAlignment);
  data_.reset(p);
}

Tensor Tensor::clone() const {
  Tensor copy(dtype_, shape_);
  if (bytes())
    std::memcpy(copy.data(), data(), bytes());
  return copy;
}

namespace {

float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h >> 15) << 31, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13); // inf, nan
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign;
  } else { // subnormal: renormalize
    int e = -1;
    do {
      ++e;
      mant <<= 1;
    } while (!(mant & 0x400));
    bits = sign | uint32_t(112 - e) << 23 | ((mant & 0x3ff) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float bfloatToFloat(uint16_t h) {
  uint32_t bits = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

template <typename T> T load(const uint8_t *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

/// Element i as a double (exact for every type except 64-bit integers
/// beyond 2^53, which only matter for i64 targets; see loadInt).
double loadDouble(ElemType type, const uint8_t *p) {
  switch (type) {
  case ElemType::Bool:
    return load<uint8_t>(p) != 0;
  case ElemType::U8:
    return load<uint8_t>(p);
  case ElemType::I8:
    return load<int8_t>(p);
  case ElemType::I16:
    return load<int16_t>(p);
  case ElemType::I32:
    return load<int32_t>(p);
  case ElemType::I64:
    return double(load<int64_t>(p));
  case ElemType::U16:
    return load<uint16_t>(p);
  case ElemType::U32:
    return load<uint32_t>(p);
  case ElemType::U64:
    return double(load<uint64_t>(p));
  case ElemType::F16:
    return halfToFloat(load<uint16_t>(p));
  case ElemType::BF16:
    return bfloatToFloat(load<uint16_t>(p));
  case ElemType::F32:
    return load<float>(p);
  case ElemType::F64:
    return load<double>(p);
  }
  return 0;
}

bool isFloat(ElemType type) {
  return type == ElemType::F16 || type == ElemType::BF16 || type == ElemType::F32 ||
         type == ElemType::F64;
}

} // namespace

Tensor convertArray(const Array &array, DType dtype, const std::string &where) {
  Tensor tensor(dtype, array.shape);
  int64_t n = tensor.numel();
  size_t size = elemSize(array.type);
  assert(array.bytes.size() == size_t(n) * size && "array size checked by its reader");
  const uint8_t *src = array.bytes.data();
  if (dtype == DType::F32) {
    float *dst = tensor.as<float>();
    if (array.type == ElemType::F32) {
      if (n)
        std::memcpy(dst, src, size_t(n) * 4);
    } else {
      for (int64_t i = 0; i < n; ++i)
        dst[i] = float(loadDouble(array.type, src + i * size));
    }
    return tensor;
  }

  int64_t *dst = tensor.as<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t *p = src + i * size;
    if (array.type == ElemType::I64) {
      dst[i] = load<int64_t>(p);
    } else if (array.type == ElemType::U64) {
      uint64_t v = load<uint64_t>(p);
      if (v > uint64_t(std::numeric_limits<int64_t>::max()))
        fail("{}: value {} at index {} does not fit in i64", where, v, i);
      dst[i] = int64_t(v);
    } else {
      double v = loadDouble(array.type, p);
      // 2^63 is exactly representable; anything at or beyond it overflows.
      if (!(v == std::floor(v) && v >= -9223372036854775808.0 && v < 9223372036854775808.0)) {
        if (isFloat(array.type))
          fail("{}: {} data for an i64 input must hold integers, but element {} is {}", where,
               elemName(array.type), i, v);
        fail("{}: value {} at index {} does not fit in i64", where, v, i);
      }
      dst[i] = int64_t(v);
    }
  }
  return tensor;
}

} // namespace mlc::rt
