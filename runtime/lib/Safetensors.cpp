//===- Safetensors.cpp - The safetensors checkpoint format ----------------===//

#include "mlc/Runtime/Safetensors.h"
#include "mlc/Runtime/AtomicFile.h"
#include "mlc/Runtime/Error.h"
#include "mlc/Runtime/Files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <set>

namespace mlc::rt {

namespace {

// The reference implementation's limit; a larger header is a corrupt file.
constexpr uint64_t kMaxHeaderSize = 100'000'000;

struct DTypeName {
  const char *name;
  std::optional<ElemType> type;
  size_t size;
};
const DTypeName kDTypes[] = {
    {"BOOL", ElemType::Bool, 1}, {"U8", ElemType::U8, 1},      {"I8", ElemType::I8, 1},
    {"I16", ElemType::I16, 2},   {"U16", ElemType::U16, 2},    {"I32", ElemType::I32, 4},
    {"U32", ElemType::U32, 4},   {"I64", ElemType::I64, 8},    {"U64", ElemType::U64, 8},
    {"F16", ElemType::F16, 2},   {"BF16", ElemType::BF16, 2},  {"F32", ElemType::F32, 4},
    {"F64", ElemType::F64, 8},   {"F8_E4M3", std::nullopt, 1}, {"F8_E5M2", std::nullopt, 1},
};

const DTypeName *findDType(const std::string &name) {
  for (const DTypeName &d : kDTypes)
    if (name == d.name)
      return &d;
  return nullptr;
}

const char *dtypeString(DType dtype) { return dtype == DType::F32 ? "F32" : "I64"; }

std::string jsonMessage(const std::exception &e) {
  // "[json.exception.parse_error.101] parse error at ..." -> "parse error at ..."
  std::string what = e.what();
  size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

} // namespace

SafetensorsFile SafetensorsFile::read(const std::string &path) {
  return parse(path, readFile(path));
}

SafetensorsFile SafetensorsFile::parse(const std::string &path, std::vector<uint8_t> bytes) {
  SafetensorsFile file;
  file.path_ = path;
  if (bytes.size() < 8)
    fail("{}: truncated: {} bytes, but a safetensors file starts with an 8-byte header length",
         path, bytes.size());
  uint64_t headerSize = 0;
  for (int i = 0; i < 8; ++i)
    headerSize |= uint64_t(bytes[i]) << (8 * i);
  if (headerSize > bytes.size() - 8)
    fail("{}: header length {} is larger than the rest of the file ({} bytes)", path, headerSize,
         bytes.size() - 8);
  if (headerSize > kMaxHeaderSize)
    fail("{}: header length {} is too large", path, headerSize);
  file.dataStart_ = 8 + headerSize;
  uint64_t dataSize = bytes.size() - file.dataStart_;

  const char *begin = reinterpret_cast<const char *>(bytes.data()) + 8;
  nlohmann::ordered_json header;
  std::string duplicate;
  try {
    std::set<std::string> keys;
    // The callback sees each top-level key; json objects would keep the last.
    auto callback = [&](int depth, nlohmann::ordered_json::parse_event_t event,
                        nlohmann::ordered_json &parsed) {
      if (event == nlohmann::ordered_json::parse_event_t::key && depth == 1 &&
          !keys.insert(parsed.get<std::string>()).second && duplicate.empty())
        duplicate = parsed.get<std::string>();
      return true;
    };
    header = nlohmann::ordered_json::parse(begin, begin + headerSize, callback);
  } catch (const nlohmann::ordered_json::exception &e) {
    fail("{}: the header is not valid JSON: {}", path, jsonMessage(e));
  }
  if (!header.is_object())
    fail("{}: the header is not a JSON object", path);
  if (!duplicate.empty())
    fail("{}: tensor '{}' appears twice in the header", path, duplicate);

  for (auto &[name, value] : header.items()) {
    if (name == "__metadata__") {
      if (!value.is_object())
        fail("{}: __metadata__ must be an object of strings", path);
      for (auto &[key, v] : value.items()) {
        if (!v.is_string())
          fail("{}: __metadata__ '{}' must be a string", path, key);
        file.metadata_[key] = v.get<std::string>();
      }
      continue;
    }
    auto bad = [&](const std::string &what) { fail("{}: tensor '{}': {}", path, name, what); };
    if (!value.is_object())
      bad("entry is not an object");
    SafetensorsEntry entry;
    entry.name = name;
    if (!value.contains("dtype") || !value["dtype"].is_string())
      bad("no dtype string");
    entry.dtype = value["dtype"].get<std::string>();
    const DTypeName *dtype = findDType(entry.dtype);
    if (!dtype)
      bad("unknown dtype '" + entry.dtype + "'");
    entry.type = dtype->type;
    if (!value.contains("shape") || !value["shape"].is_array())
      bad("no shape list");
    for (const auto &d : value["shape"]) {
      if (!d.is_number_unsigned())
        bad("shape must be a list of non-negative integers, not " + value["shape"].dump());
      entry.shape.push_back(int64_t(d.get<uint64_t>()));
    }
    const auto &offsets =
        value.contains("data_offsets") ? value["data_offsets"] : nlohmann::ordered_json();
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned())
      bad("data_offsets must be [begin, end], two non-negative integers");
    entry.begin = offsets[0].get<uint64_t>();
    entry.end = offsets[1].get<uint64_t>();
    std::string range = fmt::format("[{}, {}]", entry.begin, entry.end);
    if (entry.begin > entry.end)
      bad("data_offsets " + range + " end before they begin");
    if (entry.end > dataSize)
      bad(fmt::format("data_offsets {} run past the end of the data ({} bytes; truncated file?)",
                      range, dataSize));
    int64_t n = numElements(entry.shape);
    if (n < 0 || uint64_t(n) > dataSize / dtype->size ||
        uint64_t(n) * dtype->size != entry.end - entry.begin)
      bad(fmt::format("data_offsets {} hold {} bytes, but {} {} needs {}", range,
                      entry.end - entry.begin, entry.dtype, formatShape(entry.shape),
                      n < 0 ? std::string("more than fits") : std::to_string(n * dtype->size)));
    file.entries_.push_back(std::move(entry));
  }

  std::vector<const SafetensorsEntry *> sorted;
  for (const SafetensorsEntry &e : file.entries_)
    if (e.end > e.begin)
      sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(), [](auto *a, auto *b) { return a->begin < b->begin; });
  for (size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i]->begin < sorted[i - 1]->end)
      fail("{}: tensors '{}' and '{}' overlap (data_offsets [{}, {}] and [{}, {}])", path,
           sorted[i - 1]->name, sorted[i]->name, sorted[i - 1]->begin, sorted[i - 1]->end,
           sorted[i]->begin, sorted[i]->end);
  file.bytes_ = std::move(bytes);
  return file;
}

const SafetensorsEntry *SafetensorsFile::find(const std::string &name) const {
  for (const SafetensorsEntry &e : entries_)
    if (e.name == name)
      return &e;
  return nullptr;
}

Array SafetensorsFile::array(const SafetensorsEntry &entry) const {
  if (!entry.type)
    fail("{}: tensor '{}': dtype {} is not supported", path_, entry.name, entry.dtype);
  Array array;
  array.type = *entry.type;
  array.shape = entry.shape;
  const uint8_t *p = bytes_.data() + dataStart_;
  array.bytes.assign(p + entry.begin, p + entry.end);
  return array;
}

void SafetensorsWriter::add(const std::string &name, const Tensor &tensor) {
  tensors_.emplace_back(name, &tensor);
}

void SafetensorsWriter::setMetadata(const std::string &key, const std::string &value) {
  for (auto &kv : metadata_)
    if (kv.first == key) {
      kv.second = value;
      return;
    }
  metadata_.emplace_back(key, value);
}

std::string SafetensorsWriter::header() const {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  if (!metadata_.empty()) {
    nlohmann::ordered_json meta = nlohmann::ordered_json::object();
    for (const auto &[key, value] : metadata_)
      meta[key] = value;
    json["__metadata__"] = meta;
  }
  uint64_t offset = 0;
  for (const auto &[name, tensor] : tensors_) {
    json[name] = {{"dtype", dtypeString(tensor->dtype())},
                  {"shape", tensor->shape()},
                  {"data_offsets", {offset, offset + tensor->bytes()}}};
    offset += tensor->bytes();
  }
  std::string text = json.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  return text;
}

void SafetensorsWriter::write(const std::string &path, const std::string &flag) const {
  std::string text = header();
  uint8_t length[8];
  for (int i = 0; i < 8; ++i)
    length[i] = uint8_t(uint64_t(text.size()) >> (8 * i));
  AtomicFile file(path, flag);
  file.write(length, 8);
  file.write(text);
  for (const auto &[name, tensor] : tensors_)
    file.write(tensor->data(), tensor->bytes());
  file.commit();
}

} // namespace mlc::rt
