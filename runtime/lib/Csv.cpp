//===- Csv.cpp - Numeric .csv data ----------------------------------------===//

#include "mlc/Runtime/Csv.h"
#include "mlc/Runtime/Error.h"
#include "mlc/Runtime/Files.h"

#include <charconv>
#include <cstring>
#include <string_view>

namespace mlc::rt {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"')
    s = s.substr(1, s.size() - 2);
  return s;
}

/// A field's value: an integer literal, any other number, or not a number.
struct Number {
  enum Kind { Int, Float, None } kind = None;
  int64_t i = 0;
  double d = 0;
};

Number parseNumber(std::string_view s) {
  Number n;
  if (!s.empty() && s.front() == '+')
    s.remove_prefix(1);
  if (s.empty())
    return n;
  const char *end = s.data() + s.size();
  auto ri = std::from_chars(s.data(), end, n.i);
  if (ri.ec == std::errc() && ri.ptr == end) {
    n.kind = Number::Int;
    n.d = double(n.i);
    return n;
  }
  auto rd = std::from_chars(s.data(), end, n.d);
  if (rd.ec == std::errc() && rd.ptr == end)
    n.kind = Number::Float;
  return n;
}

std::vector<std::string_view> splitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  for (;;) {
    size_t comma = line.find(',');
    fields.push_back(trim(line.substr(0, comma)));
    if (comma == std::string_view::npos)
      return fields;
    line.remove_prefix(comma + 1);
  }
}

} // namespace

Array parseCsv(const std::string &path, const std::vector<uint8_t> &bytes) {
  std::string_view text(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  if (text.substr(0, 3) == "\xEF\xBB\xBF") // UTF-8 byte order mark
    text.remove_prefix(3);
  if (text.find('\0') != std::string_view::npos)
    fail("{}: not a text file (contains NUL bytes)", path);

  std::vector<Number> values;
  size_t columns = 0;
  int64_t rows = 0;
  bool allInts = true, first = true;
  size_t lineNo = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++lineNo;
    if (trim(line).empty())
      continue;
    std::vector<std::string_view> fields = splitFields(line);
    std::vector<Number> row;
    row.reserve(fields.size());
    for (std::string_view f : fields)
      row.push_back(parseNumber(f));
    if (first) {
      first = false;
      columns = fields.size();
      bool anyNumber = false;
      for (const Number &n : row)
        anyNumber |= n.kind != Number::None;
      if (!anyNumber)
        continue; // a header row
    }
    if (fields.size() != columns)
      fail("{}:{}: {} values, but the first row has {}", path, lineNo, fields.size(), columns);
    for (size_t c = 0; c < row.size(); ++c) {
      if (row[c].kind == Number::None) {
        if (fields[c].empty())
          fail("{}:{}: column {} is empty", path, lineNo, c + 1);
        fail("{}:{}: column {}: '{}' is not a number", path, lineNo, c + 1, fields[c]);
      }
      allInts &= row[c].kind == Number::Int;
    }
    values.insert(values.end(), row.begin(), row.end());
    ++rows;
  }

  Array array;
  array.type = allInts ? ElemType::I64 : ElemType::F64;
  array.shape = {rows, int64_t(columns)};
  array.bytes.resize(values.size() * 8);
  for (size_t i = 0; i < values.size(); ++i) {
    if (allInts)
      std::memcpy(array.bytes.data() + 8 * i, &values[i].i, 8);
    else
      std::memcpy(array.bytes.data() + 8 * i, &values[i].d, 8);
  }
  return array;
}

Array readCsv(const std::string &path) { return parseCsv(path, readFile(path)); }

} // namespace mlc::rt
