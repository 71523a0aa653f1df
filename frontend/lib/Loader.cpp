//===- Loader.cpp - Read a file and everything it imports -----------------===//

#include "mlc/Frontend/Frontend.h"
#include "mlc/Frontend/Parser.h"

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace mlc;
namespace fs = std::filesystem;

namespace {

// Offsets are 32-bit; nothing legitimate comes near this.
constexpr uintmax_t kMaxFileBytes = 256u << 20;

class Loader {
public:
  Loader(Compilation &c, DiagnosticEngine &diags) : c_(c), diags_(diags) {}

  /// Reads \p path; on failure reports at \p from (the import) if valid.
  bool loadFile(const std::string &path, SourceRange from) {
    std::error_code ec;
    if (fs::exists(path, ec) && !fs::is_regular_file(path, ec)) {
      // Devices and pipes could block or never end (import "/dev/zero").
      report(from, fmt::format("cannot read '{}': not a regular file", path));
      return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      report(from, fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
      return false;
    }
    uintmax_t size = fs::file_size(path, ec);
    if (!ec && size > kMaxFileBytes) {
      report(from, fmt::format("cannot read '{}': file is larger than {} MiB", path,
                               kMaxFileBytes >> 20));
      return false;
    }
    // Files in /proc and /sys report size 0, so the cap is also checked while
    // reading (/proc/self/pagemap is 256 GiB); a read error (EIO from
    // /proc/self/mem) is reported, not taken for the end of the file.
    std::string text, chunk(1 << 16, '\0');
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())),
           in.gcount() > 0) {
      if (text.size() + static_cast<size_t>(in.gcount()) > kMaxFileBytes) {
        report(from, fmt::format("cannot read '{}': file is larger than {} MiB", path,
                                 kMaxFileBytes >> 20));
        return false;
      }
      text.append(chunk.data(), static_cast<size_t>(in.gcount()));
    }
    if (in.bad()) {
      report(from, fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
      return false;
    }
    return loadText(path, std::move(text), canonical(path));
  }

  bool loadText(const std::string &name, std::string text, const std::string &key) {
    uint32_t id = c_.sources.addFile(name, std::move(text));
    loaded_.insert(key);
    size_t index = c_.files.size();
    c_.files.push_back(parseFile(c_.sources, id, diags_));
    stack_.push_back(key);
    // Copy the imports: loading appends to c_.files.
    std::vector<ImportDecl> imports = c_.files[index]->imports;
    fs::path dir = fs::path(name).parent_path();
    for (const ImportDecl &imp : imports) {
      if (diags_.tooManyErrors())
        break;
      fs::path target = fs::path(imp.path).is_absolute() ? fs::path(imp.path)
                                                         : dir / imp.path;
      std::string targetKey = canonical(target.string());
      if (std::find(stack_.begin(), stack_.end(), targetKey) != stack_.end()) {
        diags_.error(imp.range, fmt::format("import cycle: '{}' imports itself "
                                            "through this import",
                                            target.lexically_normal().string()));
        continue;
      }
      if (loaded_.count(targetKey))
        continue; // already loaded through another import
      if (stack_.size() >= kMaxImportDepth) {
        diags_.error(imp.range, fmt::format("imports nested more than {} deep",
                                            kMaxImportDepth));
        continue;
      }
      loadFile(target.lexically_normal().string(), imp.range);
    }
    stack_.pop_back();
    return !diags_.hasErrors();
  }

private:
  static std::string canonical(const std::string &path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(path, ec);
    return ec ? fs::path(path).lexically_normal().string() : p.string();
  }
  void report(SourceRange from, const std::string &message) {
    diags_.error(from, message);
  }

  Compilation &c_;
  DiagnosticEngine &diags_;
  std::set<std::string> loaded_;
  std::vector<std::string> stack_;
};

} // namespace

bool mlc::loadProgram(const std::string &path, Compilation &compilation,
                      DiagnosticEngine &diags) {
  Loader loader(compilation, diags);
  return loader.loadFile(path, SourceRange{}) && !diags.hasErrors();
}

bool mlc::loadProgramFromText(const std::string &name, std::string text,
                              Compilation &compilation, DiagnosticEngine &diags) {
  Loader loader(compilation, diags);
  return loader.loadText(name, std::move(text), name) && !diags.hasErrors();
}
