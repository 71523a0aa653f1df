//===- Program.cpp - Names and printing for the typed graph ---------------===//

#include "mlc/Frontend/Program.h"

#include <fmt/core.h>

using namespace mlc;

const char *mlc::dtypeName(DType t) { return t == DType::F32 ? "f32" : "i64"; }

std::string TensorType::str() const {
  std::string s = std::string(dtypeName(dtype)) + "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i)
      s += ", ";
    s += dims[i] == kBatchDim ? std::string("N") : std::to_string(dims[i]);
  }
  return s + "]";
}

const char *mlc::initKindName(InitKind kind) {
  switch (kind) {
  case InitKind::Uniform: return "uniform";
  case InitKind::Normal: return "normal";
  case InitKind::Ones: return "ones";
  case InitKind::Zeros: return "zeros";
  }
  return "zeros";
}
