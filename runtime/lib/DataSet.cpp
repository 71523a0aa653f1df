//===- DataSet.cpp - Binding --data NAME=PATH to the model's inputs -------===//

#include "mlc/Runtime/DataSet.h"
#include "mlc/Runtime/Csv.h"
#include "mlc/Runtime/Error.h"
#include "mlc/Runtime/Files.h"
#include "mlc/Runtime/Npy.h"

#include <cassert>
#include <map>

namespace mlc::rt {

namespace {

std::string nameList(const TensorSpec *specs, int count) {
  std::string s;
  for (int i = 0; i < count; ++i)
    s += fmt::format("{}'{}' ({})", i ? ", " : "", specs[i].name, formatSpec(specs[i]));
  return s;
}

std::string usage(const TensorSpec *specs, int count) {
  std::string s;
  for (int i = 0; i < count; ++i)
    s += fmt::format("{}--data {}=PATH", i ? " " : "", specs[i].name);
  return s;
}

/// NAME -> PATH, validated against the declared names.
std::map<std::string, std::string> bindNames(const TensorSpec *specs, int count,
                                             const std::vector<std::string> &flags) {
  std::map<std::string, std::string> bound;
  for (const std::string &flag : flags) {
    size_t eq = flag.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == flag.size())
      fail("--data: '{}' is not NAME=PATH", flag);
    std::string name = flag.substr(0, eq);
    bool known = false;
    for (int i = 0; i < count; ++i)
      known |= name == specs[i].name;
    if (!known) {
      if (count == 0)
        fail("--data: unknown name '{}'; this command takes no data", name);
      fail("--data: unknown name '{}'; expected {}", name, nameList(specs, count));
    }
    if (!bound.emplace(name, flag.substr(eq + 1)).second)
      fail("--data: '{}' is given twice", name);
  }
  for (int i = 0; i < count; ++i)
    if (!bound.count(specs[i].name))
      fail("--data: missing '{}' ({}); this command needs {}", specs[i].name, formatSpec(specs[i]),
           usage(specs, count));
  return bound;
}

Array readArray(const std::string &path) {
  if (hasSuffix(path, ".npy"))
    return readNpy(path);
  if (hasSuffix(path, ".csv"))
    return readCsv(path);
  std::vector<uint8_t> bytes = readFile(path);
  if (bytes.size() >= 6 && std::equal(bytes.begin(), bytes.begin() + 6, "\x93NUMPY"))
    return parseNpy(path, bytes);
  fail("{}: unknown data format; expected a .npy or .csv file", path);
}

std::string pyShape(const Shape &shape) {
  std::string s = formatShape(shape);
  s.front() = '(';
  s.back() = ')';
  return shape.size() == 1 ? s.substr(0, s.size() - 1) + ",)" : s;
}

/// Checks `array` against `spec` and reshapes .csv columns to its dims.
void checkShape(Array &array, const TensorSpec &spec, const std::string &path, bool csv) {
  assert(spec.rank >= 1 && spec.dims[0] == kBatch && "data is batched on dim 0");
  Shape want(spec.dims + 1, spec.dims + spec.rank);
  if (csv) {
    int64_t perSample = numElements(want);
    if (array.shape[1] != perSample)
      fail("{}: {} values per row, but '{}' is {} ({} per sample)", path, array.shape[1], spec.name,
           formatSpec(spec), perSample);
    Shape shape{array.shape[0]};
    shape.insert(shape.end(), want.begin(), want.end());
    array.shape = shape;
    return;
  }
  bool match = array.shape.size() == size_t(spec.rank);
  for (size_t i = 1; match && i < array.shape.size(); ++i)
    match = array.shape[i] == want[i - 1];
  if (!match)
    fail("{}: shape {} does not match '{}': {}", path, pyShape(array.shape), spec.name,
         formatSpec(spec));
}

/// Labels and token ids index into the model; the pipelines do not check.
void checkValues(const Tensor &tensor, const TensorSpec &spec, const std::string &path) {
  if (spec.dtype != DType::I64 || spec.valueLimit <= 0)
    return;
  const int64_t *v = tensor.as<int64_t>();
  for (int64_t i = 0; i < tensor.numel(); ++i)
    if (v[i] < 0 || v[i] >= spec.valueLimit)
      fail("{}: value {} at index {} is out of range for '{}' (0 <= {} < {})", path, v[i], i,
           spec.name, spec.name, spec.valueLimit);
}

} // namespace

void checkDataNames(const TensorSpec *specs, int count, const std::vector<std::string> &flags) {
  bindNames(specs, count, flags);
}

DataSet loadData(const TensorSpec *specs, int count, const std::vector<std::string> &flags) {
  std::map<std::string, std::string> bound = bindNames(specs, count, flags);
  DataSet data;
  for (int i = 0; i < count; ++i) {
    const std::string &path = bound[specs[i].name];
    Array array = readArray(path);
    checkShape(array, specs[i], path, hasSuffix(path, ".csv"));
    int64_t n = array.shape[0];
    if (n == 0)
      fail("{}: no samples", path);
    if (i > 0 && n != data.samples)
      fail("{}: {} samples, but {} has {} (every --data array needs the same first dimension)",
           path, n, data.paths[0], data.samples);
    data.samples = n;
    data.arrays.push_back(convertArray(array, specs[i].dtype, path));
    checkValues(data.arrays.back(), specs[i], path);
    data.paths.push_back(path);
  }
  return data;
}

} // namespace mlc::rt
