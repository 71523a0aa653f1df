//===- Npy.cpp - NumPy .npy arrays ----------------------------------------===//

#include "mlc/Runtime/Npy.h"
#include "mlc/Runtime/AtomicFile.h"
#include "mlc/Runtime/Error.h"
#include "mlc/Runtime/Files.h"

#include <cctype>
#include <cstring>
#include <map>

namespace mlc::rt {

namespace {

const char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

/// A value of the header dict: a string, a bool or a tuple of integers.
struct HeaderValue {
  enum Kind { String, Bool, Tuple, Int } kind;
  std::string text;
  bool flag = false;
  Shape ints;
};

/// Parses the Python dict literal numpy writes (and only what it writes).
class HeaderParser {
public:
  HeaderParser(const std::string &path, const std::string &text) : path_(path), s_(text) {}

  std::map<std::string, HeaderValue> parseDict() {
    std::map<std::string, HeaderValue> dict;
    expect('{');
    for (;;) {
      skipSpace();
      if (peek() == '}')
        break;
      std::string key = parseString();
      if (dict.count(key))
        error("duplicate key '" + key + "'");
      expect(':');
      dict[key] = parseValue();
      skipSpace();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      if (peek() != '}')
        error("expected ',' or '}'");
    }
    ++i_;
    skipSpace();
    if (i_ != s_.size())
      error("unexpected text after the dict");
    return dict;
  }

private:
  [[noreturn]] void error(const std::string &what) {
    fail("{}: malformed .npy header: {} at offset {} of '{}'", path_, what, i_, printable());
  }
  std::string printable() const {
    std::string out;
    for (char c : s_)
      out += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
    while (!out.empty() && (out.back() == ' ' || out.back() == '?'))
      out.pop_back();
    return out.size() > 120 ? out.substr(0, 120) + "..." : out;
  }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void skipSpace() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_])))
      ++i_;
  }
  void expect(char c) {
    skipSpace();
    if (peek() != c)
      error(std::string("expected '") + c + "'");
    ++i_;
  }
  std::string parseString() {
    skipSpace();
    char quote = peek();
    if (quote != '\'' && quote != '"')
      error("expected a string");
    size_t end = s_.find(quote, i_ + 1);
    if (end == std::string::npos)
      error("unterminated string");
    std::string text = s_.substr(i_ + 1, end - i_ - 1);
    i_ = end + 1;
    return text;
  }
  int64_t parseInt() {
    skipSpace();
    size_t start = i_;
    int64_t v = 0;
    while (std::isdigit(static_cast<unsigned char>(peek()))) {
      int digit = peek() - '0';
      if (v > (INT64_MAX - digit) / 10)
        error("dimension too large");
      v = v * 10 + digit;
      ++i_;
    }
    if (i_ == start)
      error("expected a non-negative integer");
    if (peek() == 'L') // Python 2 longs
      ++i_;
    return v;
  }
  HeaderValue parseValue() {
    skipSpace();
    HeaderValue v{HeaderValue::String, {}, false, {}};
    char c = peek();
    if (c == '\'' || c == '"') {
      v.text = parseString();
    } else if (s_.compare(i_, 4, "True") == 0 || s_.compare(i_, 5, "False") == 0) {
      v.kind = HeaderValue::Bool;
      v.flag = s_[i_] == 'T';
      i_ += v.flag ? 4 : 5;
    } else if (c == '(') {
      v.kind = HeaderValue::Tuple;
      ++i_;
      for (;;) {
        skipSpace();
        if (peek() == ')')
          break;
        v.ints.push_back(parseInt());
        skipSpace();
        if (peek() == ',')
          ++i_;
        else if (peek() != ')')
          error("expected ',' or ')'");
      }
      ++i_;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      v.kind = HeaderValue::Int;
      v.ints.push_back(parseInt());
    } else if (c == '[') {
      error("structured dtypes are not supported");
    } else {
      error("expected a string, True, False or a tuple");
    }
    return v;
  }

  const std::string &path_;
  const std::string &s_;
  size_t i_ = 0;
};

const struct {
  const char *descr;
  ElemType type;
} kDescrs[] = {
    {"<f4", ElemType::F32}, {"<f8", ElemType::F64}, {"<i4", ElemType::I32}, {"<i8", ElemType::I64}};

ElemType parseDescr(const std::string &path, const std::string &descr) {
  for (const auto &d : kDescrs)
    if (descr == d.descr)
      return d.type;
  if (!descr.empty() && descr[0] == '>')
    fail("{}: big-endian dtype '{}' is not supported; save with arr.astype('<{}')", path, descr,
         descr.substr(1));
  fail("{}: dtype '{}' is not supported; expected float32, float64, int32 or int64 "
       "('<f4', '<f8', '<i4', '<i8')",
       path, descr);
}

std::string pythonShape(const Shape &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += std::to_string(shape[i]) + (shape.size() == 1 || i + 1 < shape.size() ? "," : "") +
         (i + 1 < shape.size() ? " " : "");
  return s + ")";
}

} // namespace

Array parseNpy(const std::string &path, const std::vector<uint8_t> &bytes) {
  if (bytes.size() < kMagicSize || std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
    fail("{}: not a .npy file (no \\x93NUMPY magic)", path);
  if (bytes.size() < 10)
    fail("{}: truncated .npy header ({} bytes)", path, bytes.size());
  int major = bytes[6], minor = bytes[7];
  size_t lengthSize;
  if (major == 1)
    lengthSize = 2;
  else if (major == 2 || major == 3)
    lengthSize = 4;
  else
    fail("{}: unsupported .npy format version {}.{}", path, major, minor);
  if (bytes.size() < 8 + lengthSize)
    fail("{}: truncated .npy header ({} bytes)", path, bytes.size());
  uint64_t headerLength = 0;
  for (size_t i = 0; i < lengthSize; ++i)
    headerLength |= uint64_t(bytes[8 + i]) << (8 * i);
  size_t headerStart = 8 + lengthSize;
  if (headerLength > bytes.size() - headerStart)
    fail("{}: header length {} runs past the end of the file ({} bytes)", path, headerLength,
         bytes.size());
  std::string header(reinterpret_cast<const char *>(bytes.data()) + headerStart, headerLength);
  std::map<std::string, HeaderValue> dict = HeaderParser(path, header).parseDict();

  for (const auto &[key, value] : dict)
    if (key != "descr" && key != "fortran_order" && key != "shape")
      fail("{}: unexpected key '{}' in the .npy header", path, key);
  auto get = [&](const char *key, HeaderValue::Kind kind, const char *kindName) {
    auto it = dict.find(key);
    if (it == dict.end())
      fail("{}: the .npy header has no '{}'", path, key);
    if (it->second.kind != kind)
      fail("{}: '{}' in the .npy header must be {}", path, key, kindName);
    return it->second;
  };
  Array array;
  array.type = parseDescr(path, get("descr", HeaderValue::String, "a string").text);
  bool fortran = get("fortran_order", HeaderValue::Bool, "True or False").flag;
  array.shape = get("shape", HeaderValue::Tuple, "a tuple of integers").ints;

  int64_t n = numElements(array.shape);
  size_t size = elemSize(array.type);
  if (n < 0 || uint64_t(n) > SIZE_MAX / size)
    fail("{}: shape {} is too large", path, pythonShape(array.shape));
  // A Fortran-order array with at most one dimension above 1 has C layout.
  int nonTrivial = 0;
  for (int64_t d : array.shape)
    nonTrivial += d > 1;
  if (fortran && nonTrivial > 1)
    fail("{}: Fortran-order arrays are not supported; save a C-order array "
         "(np.ascontiguousarray)",
         path);

  size_t need = size_t(n) * size, have = bytes.size() - headerStart - headerLength;
  if (have < need)
    fail("{}: truncated: shape {} of {} needs {} bytes of data, the file has {}", path,
         pythonShape(array.shape), elemName(array.type), need, have);
  if (have > need)
    fail("{}: {} unexpected bytes after the data (shape {} of {} needs {} bytes)", path,
         have - need, pythonShape(array.shape), elemName(array.type), need);
  const uint8_t *data = bytes.data() + headerStart + headerLength;
  array.bytes.assign(data, data + need);
  return array;
}

Array readNpy(const std::string &path) { return parseNpy(path, readFile(path)); }

std::vector<uint8_t> formatNpy(const Tensor &tensor) {
  std::string header =
      fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}",
                  tensor.dtype() == DType::F32 ? "<f4" : "<i8", pythonShape(tensor.shape()));
  // numpy pads so that the data starts at a multiple of 64 bytes.
  size_t total = kMagicSize + 4 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::vector<uint8_t> bytes(kMagic, kMagic + kMagicSize);
  bytes.push_back(1);
  bytes.push_back(0);
  bytes.push_back(uint8_t(header.size() & 0xff));
  bytes.push_back(uint8_t(header.size() >> 8));
  bytes.insert(bytes.end(), header.begin(), header.end());
  const uint8_t *data = static_cast<const uint8_t *>(tensor.data());
  bytes.insert(bytes.end(), data, data + tensor.bytes());
  return bytes;
}

void writeNpy(const std::string &path, const std::string &flag, const Tensor &tensor) {
  std::vector<uint8_t> bytes = formatNpy(tensor);
  AtomicFile file(path, flag);
  file.write(bytes.data(), bytes.size());
  file.commit();
}

} // namespace mlc::rt
