//===- FrontendFuzzer.cpp - libFuzzer target for the whole frontend -------===//
//
// Lexes, parses, checks and elaborates arbitrary bytes, and dumps the AST.
// Any crash, assertion, sanitizer report, hang or stack overflow is a bug:
// bad input must only ever produce diagnostics.
//
//===----------------------------------------------------------------------===//

#include "mlc/Frontend/Frontend.h"

#include <cstdio>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *sink = std::fopen("/dev/null", "w");
  mlc::Compilation compilation;
  mlc::DiagnosticEngine diags(compilation.sources, sink);
  std::string text(reinterpret_cast<const char *>(data), size);
  // A name inside an empty folder: imports resolve to missing files, never to
  // whatever happens to be in the current directory.
  mlc::loadProgramFromText("/nonexistent/fuzz.dsl", std::move(text), compilation, diags);
  if (compilation.main()) {
    std::string ast = mlc::dumpAST(*compilation.main(), compilation.sources);
    (void)ast;
  }
  // Like the driver: Sema runs after syntax errors too.
  mlc::analyze(compilation, diags);
  return 0;
}
