//===- Npy.h - NumPy .npy arrays --------------------------------*- C++ -*-===//
//
// The .npy format (numpy.lib.format): 6-byte magic "\x93NUMPY", a version,
// a little-endian header length (2 bytes in version 1, 4 in versions 2 and 3),
// a Python dict literal {'descr': '<f4', 'fortran_order': False,
// 'shape': (N, 3), } padded with spaces and a newline, then the raw data.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_NPY_H
#define MLC_RUNTIME_NPY_H

#include "mlc/Runtime/Tensor.h"

#include <string>
#include <vector>

namespace mlc::rt {

/// Reads a C-order, little-endian float32/float64/int32/int64 array.
Array readNpy(const std::string &path);
/// Parses the bytes of a .npy file; `path` names the file in errors.
Array parseNpy(const std::string &path, const std::vector<uint8_t> &bytes);

/// The bytes of a version 1.0 .npy file holding `tensor`.
std::vector<uint8_t> formatNpy(const Tensor &tensor);
/// Writes `tensor` to `path` atomically; `flag` names the option in errors.
void writeNpy(const std::string &path, const std::string &flag, const Tensor &tensor);

} // namespace mlc::rt

#endif // MLC_RUNTIME_NPY_H
