//===- Frontend.h - Load, parse and check a DSL program ---------*- C++ -*-===//
#ifndef MLC_FRONTEND_FRONTEND_H
#define MLC_FRONTEND_FRONTEND_H

#include "mlc/Frontend/AST.h"
#include "mlc/Frontend/Diagnostics.h"
#include "mlc/Frontend/Program.h"

#include <memory>
#include <string>
#include <vector>

namespace mlc {

/// Everything loaded for one compilation: the main file and its imports.
struct Compilation {
  SourceManager sources;
  std::vector<std::unique_ptr<FileAST>> files; // main file first
  const FileAST *main() const { return files.empty() ? nullptr : files[0].get(); }
};

/// Imports may nest at most this deep.
constexpr unsigned kMaxImportDepth = 64;

/// Reads and parses \p path and, transitively, every file it imports
/// (paths relative to the importing file). Missing files, import cycles and
/// syntax errors are diagnosed. Returns false if anything was diagnosed.
bool loadProgram(const std::string &path, Compilation &compilation,
                 DiagnosticEngine &diags);

/// Parses in-memory text as the main file (fuzzing, unit tests). Imports are
/// resolved against the current directory.
bool loadProgramFromText(const std::string &name, std::string text,
                         Compilation &compilation, DiagnosticEngine &diags);

/// Checks every model and train block (names, arities, hyper-parameters,
/// shapes) and elaborates the main file's train blocks into Programs.
std::vector<Program> analyze(const Compilation &compilation,
                             DiagnosticEngine &diags);

} // namespace mlc

#endif // MLC_FRONTEND_FRONTEND_H
