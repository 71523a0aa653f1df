//===- mlc.cpp - The mlc compiler driver ----------------------------------===//
//
// Thin: parses the command line, runs the frontend and MLIRGen, prints the
// requested stage. Exit status 0 on success, 1 on any diagnosed error.
//
//===----------------------------------------------------------------------===//

#include "mlc/Dialect/MLC/MLCDialect.h"
#include "mlc/Frontend/Frontend.h"
#include "mlc/Import/MLIRGen.h"
#include "mlc/Pipelines/Pipelines.h"
#include "mlc/Target/Halide/Codegen.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/core.h>

#include <algorithm>
#include <thread>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr const char *kVersion = "0.1.0";

const char *kUsage = R"(mlc - compile a model and its training recipe into a training executable

usage:
  mlc compile FILE.dsl [options]    compile a train block of FILE.dsl
  mlc --help                        show this help
  mlc --version                     show the version

compile options:
  --emit=STAGE      stop after STAGE and print it (to stdout, or to -o):
                      ast         the syntax tree of FILE.dsl, as parsed
                      mlir        the mlc dialect: parameters, @loss and @predict
                      mlir-train  after autodiff and the optimizer: @train_step,
                                  @eval_step and @predict
                      mlir-sched  with each op's schedule decision
                                  (mlc.schedule = "fuse" or "root"; for GPU
                                  targets mlc.gpu, the GPU schedule class)
                      halide      each entry point as a Halide pipeline:
                                  algorithm, then schedule
                      obj         the objects to link, in the directory -o
                      exe         the training executable (the default)
  -o PATH           write the output to PATH instead of stdout; for exe the
                    executable (default: FILE without .dsl, in the current
                    directory), for obj a directory
  --target T        host (default): this machine's CPU;
                    cuda: an NVIDIA GPU (PTX the driver compiles at load, so
                    it builds without a GPU; the executable needs one);
                    opencl: any OpenCL device (PoCL runs it on a CPU);
                    or a Halide target string, e.g. x86-64-linux-avx2-fma
  --cuda-capability N
                    the PTX's compute capability for --target cuda (default
                    86; newer GPUs such as Hopper run it through the driver)
  --schedule S      manual (default): the schedules mlc chooses per op;
                    adams2019, li2018 or mullapudi2016: Halide's
                    autoscheduler of that name, per kernel
  -j, --jobs N      compile kernels in N processes (default: one per core)
  --halide-asserts  keep Halide's checks of every buffer a kernel is passed
                    (for debugging the compiler; slower to compile)
  --train NAME      the train block to compile when FILE.dsl has several
  --max-errors N    stop after N errors (default 20, 0 = no limit)
  --print-debuginfo print the DSL location (loc(...)) of every op
  --split-input-file
                    compile each part of FILE between lines starting with
                    '# -----' on its own (for tests); line numbers are kept

The executable trains, evaluates and predicts: run it with --help. Errors are reported as FILE:LINE:COL: error: ... and
make mlc exit with status 1.

example:
  mlc compile examples/autoencoder.dsl --emit=mlir
)";

struct Options {
  std::string input;
  std::string emit = "exe";
  std::string target = "host";
  int cudaCapability = 86;
  std::string output = "-";
  std::string train;
  unsigned maxErrors = 20;
  std::string schedule = "manual";
  unsigned jobs = 0; // 0: one per core
  bool asserts = false;
  bool debugInfo = false;
  bool splitInput = false;
};

mlc::CodegenOptions codegenOptions(const Options &opts) {
  mlc::CodegenOptions cg;
  cg.target = opts.target;
  cg.cudaCapability = opts.cudaCapability;
  cg.scheduler = opts.schedule;
  cg.asserts = opts.asserts;
  cg.jobs = opts.jobs ? opts.jobs : std::max(1u, std::thread::hardware_concurrency());
  return cg;
}

int usageError(const std::string &message) {
  fmt::print(stderr, "mlc: error: {}\nrun 'mlc --help' for usage\n", message);
  return 1;
}

/// Returns -1 to continue, or an exit status.
int parseArgs(int argc, char **argv, Options &opts) {
  if (argc < 2)
    return usageError("no command given; expected 'compile'");
  std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    fmt::print("{}", kUsage);
    return 0;
  }
  if (cmd == "--version") {
    fmt::print("mlc {}\n", kVersion);
    return 0;
  }
  if (cmd != "compile")
    return usageError(fmt::format("unknown command '{}'; expected 'compile'", cmd));
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const std::string &flag, std::string &out) {
      if (arg.rfind(flag + "=", 0) == 0) {
        out = arg.substr(flag.size() + 1);
        return true;
      }
      if (arg == flag) {
        if (i + 1 >= argc)
          return false;
        out = argv[++i];
        return true;
      }
      return false;
    };
    std::string v;
    if (arg == "--help" || arg == "-h") {
      fmt::print("{}", kUsage);
      return 0;
    }
    if (arg == "--emit" || arg.rfind("--emit=", 0) == 0) {
      if (!value("--emit", opts.emit))
        return usageError("'--emit' needs a stage, e.g. --emit=mlir");
      static const char *const stages[] = {"ast",    "mlir", "mlir-train", "mlir-sched",
                                           "halide", "obj",  "exe"};
      if (std::find(std::begin(stages), std::end(stages), opts.emit) == std::end(stages))
        return usageError(fmt::format("unknown stage '{}' for --emit; expected 'ast', "
                                      "'mlir', 'mlir-train', 'mlir-sched', 'halide', 'obj' "
                                      "or 'exe'",
                                      opts.emit));
    } else if (arg == "--target" || arg.rfind("--target=", 0) == 0) {
      if (!value("--target", opts.target))
        return usageError("'--target' needs a Halide target such as 'host'");
    } else if (arg == "--cuda-capability" || arg.rfind("--cuda-capability=", 0) == 0) {
      char *end = nullptr;
      if (!value("--cuda-capability", v) || v.empty() ||
          (opts.cudaCapability = int(std::strtol(v.c_str(), &end, 10)), *end != '\0'))
        return usageError("'--cuda-capability' needs a number such as 86");
    } else if (arg == "--schedule" || arg.rfind("--schedule=", 0) == 0) {
      if (!value("--schedule", opts.schedule))
        return usageError("'--schedule' needs a scheduler, e.g. --schedule=adams2019");
      static const char *const schedulers[] = {"manual", "adams2019", "li2018",
                                               "mullapudi2016"};
      if (std::find(std::begin(schedulers), std::end(schedulers), opts.schedule) ==
          std::end(schedulers))
        return usageError(fmt::format("unknown scheduler '{}'; expected 'manual', "
                                      "'adams2019', 'li2018' or 'mullapudi2016'",
                                      opts.schedule));
    } else if (arg.rfind("-j", 0) == 0 || arg == "--jobs" || arg.rfind("--jobs=", 0) == 0) {
      char *end = nullptr;
      if (arg.size() > 2 && arg.rfind("-j", 0) == 0 && arg.rfind("--", 0) != 0)
        v = arg.substr(2);
      else if (!(value("--jobs", v) || value("-j", v)))
        v.clear();
      if (v.empty() ||
          (opts.jobs = std::strtoul(v.c_str(), &end, 10), *end != '\0') || opts.jobs == 0 ||
          opts.jobs > 256)
        return usageError("'--jobs' needs a number from 1 to 256");
    } else if (arg == "--halide-asserts") {
      opts.asserts = true;
    } else if (arg == "--split-input-file") {
      opts.splitInput = true;
    } else if (arg == "--print-debuginfo") {
      opts.debugInfo = true;
    } else if (arg == "-o") {
      if (!value("-o", opts.output))
        return usageError("'-o' needs a path");
    } else if (arg == "--train" || arg.rfind("--train=", 0) == 0) {
      if (!value("--train", opts.train))
        return usageError("'--train' needs a train block name");
    } else if (arg == "--max-errors" || arg.rfind("--max-errors=", 0) == 0) {
      char *end = nullptr;
      if (!value("--max-errors", v) || v.empty() ||
          (opts.maxErrors = std::strtoul(v.c_str(), &end, 10), *end != '\0'))
        return usageError("'--max-errors' needs a number");
    } else if (!arg.empty() && arg[0] == '-' && arg != "-") {
      return usageError(fmt::format("unknown option '{}'", arg));
    } else if (opts.input.empty()) {
      opts.input = arg;
    } else {
      return usageError(fmt::format("more than one input file ('{}' and '{}')", opts.input,
                                    arg));
    }
  }
  if (opts.input.empty())
    return usageError("no input file; usage: mlc compile FILE.dsl");
  if (std::string error = mlc::targetError(codegenOptions(opts)); !error.empty())
    return usageError(error);
  return -1;
}

/// Writes \p text to \p path (or stdout) through a temporary file and a
/// rename, so a failed run never leaves a half-written output.
bool writeOutput(const std::string &path, const std::string &text) {
  if (path == "-") {
    fwrite(text.data(), 1, text.size(), stdout);
    return fflush(stdout) == 0;
  }
  std::string tmp = path + ".tmp";
  std::error_code ec;
  {
    llvm::raw_fd_ostream os(tmp, ec);
    if (!ec) {
      os << text;
      os.close();
      if (os.has_error())
        ec = os.error();
    }
  }
  if (!ec)
    ec = llvm::sys::fs::rename(tmp, path);
  if (ec) {
    llvm::sys::fs::remove(tmp);
    fmt::print(stderr, "mlc: error: cannot write '{}': {}\n", path, ec.message());
    return false;
  }
  return true;
}


/// --emit=obj: the objects in the directory -o. --emit=exe: the objects in a
/// temporary directory, linked with the mlc runtime into the executable -o.
bool buildBinary(const Options &opts, mlir::ModuleOp module) {
  mlc::CodegenOptions cg = codegenOptions(opts);
  llvm::SmallString<128> dir;
  if (opts.emit == "obj") {
    dir = opts.output == "-" ? "." : opts.output;
    if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
      fmt::print(stderr, "mlc: error: cannot create '{}': {}\n", dir.str(), ec.message());
      return false;
    }
  } else if (std::error_code ec = llvm::sys::fs::createUniqueDirectory("mlc", dir)) {
    fmt::print(stderr, "mlc: error: cannot create a temporary directory: {}\n", ec.message());
    return false;
  }
  auto files = mlc::compileToObjects(module, cg, std::string(dir));
  bool ok = mlir::succeeded(files);
  if (ok && opts.emit == "exe") {
    std::string exe = opts.output;
    if (exe == "-") // like cc's a.out, but named after the model file
      exe = llvm::sys::path::stem(opts.input).str();
    ok = mlc::linkExecutable(*files, exe);
  }
  if (opts.emit == "exe")
    llvm::sys::fs::remove_directories(dir);
  return ok;
}

/// Compiles one input (the whole file, or one split of it) to the requested
/// stage, appending the result to \p out. Returns false on any error.
bool compile(const Options &opts, const std::string *text, std::string &out) {
  mlc::Compilation compilation;
  mlc::DiagnosticEngine diags(compilation.sources);
  diags.setErrorLimit(opts.maxErrors == 0 ? ~0u : opts.maxErrors);
  bool parsed = text ? mlc::loadProgramFromText(opts.input, *text, compilation, diags)
                     : mlc::loadProgram(opts.input, compilation, diags);
  if (opts.emit == "ast") {
    if (parsed)
      out += mlc::dumpAST(*compilation.main(), compilation.sources);
    return parsed;
  }
  // Semantic checks run after syntax errors too, so one run reports both;
  // the parser marks what it could not parse, and Sema stays quiet there.
  std::vector<mlc::Program> programs = mlc::analyze(compilation, diags);
  if (!parsed || diags.hasErrors())
    return false;
  const mlc::Program *program = nullptr;
  for (const mlc::Program &p : programs)
    if (opts.train.empty() ? programs.size() == 1 : p.name == opts.train)
      program = &p;
  if (!program) {
    std::string names;
    for (const mlc::Program &p : programs)
      names += (names.empty() ? "'" : ", '") + p.name + "'";
    if (programs.empty())
      fmt::print(stderr, "{}: error: no train block to compile; add one, e.g. "
                         "'train fit(model: M) {{ ... }}'\n",
                 opts.input);
    else if (opts.train.empty())
      fmt::print(stderr, "{}: error: several train blocks ({}); choose one with --train\n",
                 opts.input, names);
    else
      fmt::print(stderr, "{}: error: no train block '{}'; found {}\n", opts.input,
                 opts.train, names);
    return false;
  }

  mlir::MLIRContext context;
  // Errors from passes point at DSL locations: show them like the
  // frontend's, with the source line and a caret.
  llvm::SourceMgr sourceMgr;
  for (size_t id = 1; id < compilation.sources.numFiles(); ++id) {
    const mlc::SourceFile &f = compilation.sources.file(id);
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(f.text().data(), f.text().size()),
                                             f.path()),
        llvm::SMLoc());
  }
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  // A DSL user reads the message at their source line, not the IR of the op.
  context.printOpOnDiagnostic(false);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlc::mlirGen(context, *program, compilation.sources);
  if (!module || mlir::failed(mlir::verify(*module)))
    return false;
  mlir::PassManager pm(&context);
  if (opts.emit == "mlir") {
    // The loss and the metrics usually call the model on the same data: CSE
    // merges those forward graphs into one.
    pm.addPass(mlir::createCSEPass());
  } else if (opts.emit == "mlir-train") {
    mlc::buildTrainingPipeline(pm);
  } else {
    mlc::buildCodegenPipeline(pm, mlc::isGpuTarget(codegenOptions(opts)));
  }
  if (mlir::failed(pm.run(*module)))
    return false;

  if (opts.emit == "halide") {
    llvm::raw_string_ostream os(out);
    return mlir::succeeded(mlc::emitHalide(*module, codegenOptions(opts), os));
  }
  if (opts.emit == "obj" || opts.emit == "exe")
    return buildBinary(opts, *module);

  llvm::raw_string_ostream os(out);
  mlir::OpPrintingFlags flags;
  if (opts.debugInfo)
    flags.enableDebugInfo().useLocalScope(); // locations inline, not as #loc aliases
  module->print(os, flags);
  os << "\n";
  return true;
}

/// Splits at lines starting with "# -----". Each split keeps the file's
/// line numbers: the other splits' lines are blanked, not removed, so
/// diagnostics point at the line in the original file.
std::vector<std::string> splitInput(const std::string &text) {
  std::vector<std::pair<size_t, size_t>> ranges; // [begin, end) of each split
  size_t begin = 0, pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos)
      eol = text.size();
    if (text.compare(pos, 7, "# -----") == 0) {
      ranges.push_back({begin, pos});
      begin = eol;
    }
    pos = eol + 1;
  }
  ranges.push_back({begin, text.size()});
  std::vector<std::string> splits;
  for (auto [b, e] : ranges) {
    std::string s = text;
    for (size_t i = 0; i < s.size(); ++i)
      if ((i < b || i >= e) && s[i] != '\n')
        s[i] = ' ';
    splits.push_back(std::move(s));
  }
  return splits;
}

} // namespace

int main(int argc, char **argv) {
  Options opts;
  if (int status = parseArgs(argc, argv, opts); status >= 0)
    return status;

  std::string out;
  bool ok = true;
  if (!opts.splitInput) {
    ok = compile(opts, nullptr, out);
  } else {
    std::ifstream in(opts.input, std::ios::binary);
    if (!in) {
      fmt::print(stderr, "mlc: error: cannot open '{}'\n", opts.input);
      return 1;
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::vector<std::string> splits = splitInput(text.str());
    for (size_t i = 0; i < splits.size(); ++i) {
      if (i)
        out += opts.emit == "ast" ? "# -----\n" : "// -----\n";
      ok &= compile(opts, &splits[i], out);
    }
  }
  if (!ok)
    return 1;
  if (opts.emit == "obj" || opts.emit == "exe")
    return 0; // written by buildBinary
  return writeOutput(opts.output, out) ? 0 : 1;
}
