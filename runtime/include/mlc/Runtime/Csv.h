//===- Csv.h - Numeric .csv data --------------------------------*- C++ -*-===//
//
// One sample per row, comma-separated numbers; a first row without any
// number is a header and is skipped; blank lines are ignored. The binder
// reshapes the columns to the declared non-batch shape.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_CSV_H
#define MLC_RUNTIME_CSV_H

#include "mlc/Runtime/Tensor.h"

#include <string>
#include <vector>

namespace mlc::rt {

/// An array of shape [rows, columns]: int64 if every value is an integer
/// literal, float64 otherwise.
Array readCsv(const std::string &path);
Array parseCsv(const std::string &path, const std::vector<uint8_t> &bytes);

} // namespace mlc::rt

#endif // MLC_RUNTIME_CSV_H
