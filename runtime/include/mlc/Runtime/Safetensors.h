//===- Safetensors.h - The safetensors checkpoint format --------*- C++ -*-===//
//
// An 8-byte little-endian header length N, N bytes of JSON
//   {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]},
//    ..., "__metadata__": {"key": "string value", ...}}
// padded with spaces to a multiple of 8, then the tensors' bytes; offsets are
// relative to the end of the header.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_SAFETENSORS_H
#define MLC_RUNTIME_SAFETENSORS_H

#include "mlc/Runtime/Tensor.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlc::rt {

struct SafetensorsEntry {
  std::string name;
  std::string dtype;            // as spelled in the file: "F32", "BF16", ...
  std::optional<ElemType> type; // unset for valid dtypes the runtime cannot convert (F8_*)
  Shape shape;
  uint64_t begin = 0, end = 0;
};

/// A validated safetensors file held in memory.
class SafetensorsFile {
public:
  /// Reads and validates the whole file: header length vs file size, JSON
  /// syntax, duplicate names, each entry's dtype, shape and offsets (in range,
  /// size = product(shape) * dtype size, no overlap), string metadata.
  static SafetensorsFile read(const std::string &path);
  static SafetensorsFile parse(const std::string &path, std::vector<uint8_t> bytes);

  const std::string &path() const { return path_; }
  /// In header order.
  const std::vector<SafetensorsEntry> &entries() const { return entries_; }
  const SafetensorsEntry *find(const std::string &name) const;
  const std::map<std::string, std::string> &metadata() const { return metadata_; }
  /// The entry's data; a UserError if its dtype cannot be converted.
  Array array(const SafetensorsEntry &entry) const;

private:
  std::string path_;
  std::vector<uint8_t> bytes_;
  size_t dataStart_ = 0;
  std::vector<SafetensorsEntry> entries_;
  std::map<std::string, std::string> metadata_;
};

/// Collects tensors (by reference: they must outlive write()) and metadata.
class SafetensorsWriter {
public:
  void add(const std::string &name, const Tensor &tensor);
  void setMetadata(const std::string &key, const std::string &value);
  /// Writes atomically; `flag` names the option that chose `path`.
  void write(const std::string &path, const std::string &flag) const;

private:
  std::string header() const;
  std::vector<std::pair<std::string, const Tensor *>> tensors_;
  std::vector<std::pair<std::string, std::string>> metadata_;
};

} // namespace mlc::rt

#endif // MLC_RUNTIME_SAFETENSORS_H
