//===- Codegen.cpp - Pipelines to text, objects and the model descriptor --===//

#include "mlc/Target/Halide/Codegen.h"
#include "Lowering.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <optional>
#include <sstream>

using namespace mlc;
using namespace mlc::hl;


namespace {

/// `cuda` and `opencl` are the host plus the GPU API; anything else but
/// `host` is a Halide target string.
std::optional<Halide::Target> namedTarget(const CodegenOptions &options, std::string &error) {
  const std::string &s = options.target;
  if (s == "host")
    return Halide::get_host_target();
  if (s == "cuda") {
    static const std::map<int, Halide::Target::Feature> capabilities = {
        {30, Halide::Target::CUDACapability30}, {32, Halide::Target::CUDACapability32},
        {35, Halide::Target::CUDACapability35}, {50, Halide::Target::CUDACapability50},
        {61, Halide::Target::CUDACapability61}, {70, Halide::Target::CUDACapability70},
        {75, Halide::Target::CUDACapability75}, {80, Halide::Target::CUDACapability80},
        {86, Halide::Target::CUDACapability86}};
    auto cap = capabilities.find(options.cudaCapability);
    if (cap == capabilities.end()) {
      error = "CUDA capability " + std::to_string(options.cudaCapability) +
              " is not one Halide 14 generates PTX for; expected 30, 32, 35, 50, 61, 70, "
              "75, 80 or 86 (newer GPUs run 86's PTX through the driver)";
      return std::nullopt;
    }
    return Halide::get_host_target().with_feature(Halide::Target::CUDA).with_feature(cap->second);
  }
  // Adam's bias corrections are computed in double, as PyTorch does, so
  // OpenCL devices need cl_khr_fp64 (PoCL and most GPUs have it).
  if (s == "opencl")
    return Halide::get_host_target()
        .with_feature(Halide::Target::OpenCL)
        .with_feature(Halide::Target::CLDoubles);
  if (!Halide::Target::validate_target_string(s)) {
    error = "invalid target '" + s +
            "'; expected 'host', 'cuda', 'opencl' or a Halide target string such as "
            "'x86-64-linux-avx2-fma'";
    return std::nullopt;
  }
  return Halide::Target(s);
}

/// The target of `options`, or nothing with `error` set: an unknown target,
/// a capability Halide lacks, or a scheduler that cannot serve a GPU.
std::optional<Halide::Target> resolveTarget(const CodegenOptions &options, std::string &error) {
  std::optional<Halide::Target> t = namedTarget(options, error);
  if (t && t->has_gpu_feature() && options.scheduler != "manual" &&
      options.scheduler != "li2018") {
    error = "the " + options.scheduler +
            " autoscheduler makes CPU schedules only; for a GPU target use "
            "--schedule=manual or --schedule=li2018";
    return std::nullopt;
  }
  return t;
}

} // namespace

std::string mlc::targetError(const CodegenOptions &options) {
  std::string error;
  resolveTarget(options, error);
  return error;
}

bool mlc::isGpuTarget(const CodegenOptions &options) {
  std::string error;
  std::optional<Halide::Target> t = resolveTarget(options, error);
  return t && t->has_gpu_feature();
}

mlir::FailureOr<Halide::Target> mlc::hl::parseTarget(mlir::ModuleOp module,
                                                     const CodegenOptions &options) {
  std::string error;
  std::optional<Halide::Target> t = resolveTarget(options, error);
  if (!t) {
    module.emitError() << error;
    return mlir::failure();
  }
  return *t;
}

/// Lowers and schedules one entry point; Halide errors become diagnostics.
mlir::LogicalResult mlc::hl::buildPipeline(mlir::func::FuncOp fn, const Halide::Target &target,
                                           const std::string &scheduler, LoweredFunction &out) {
  try {
    bool gpu = target.has_gpu_feature();
    if (!FunctionLowering(fn, gpu, !gpu && scheduler == "manual").run(out))
      return mlir::failure();
    for (Kernel &k : out.kernels) {
      if (scheduler == "manual" && target.has_gpu_feature())
        scheduleGPU(out, k);
      else if (scheduler == "manual" && k.anyShape)
        scheduleAnyShapeCPU(k, target);
      else if (scheduler == "manual")
        scheduleCPU(out, k, target);
      else // Estimating the batch at 1 keeps the autoschedulers from
           // splitting it: their splits assume the estimate is a lower bound,
           // and the last batch of an epoch is often smaller (measured: a
           // batch of 5 under an estimate of 32 failed Halide's checks).
        autoSchedule(out, k, scheduler, target, /*batch=*/1);
    }
  } catch (const Halide::Error &e) {
    fn.emitError() << "Halide: " << e.what();
    return mlir::failure();
  } catch (const std::exception &e) { // a bug of ours: reported, never an abort
    fn.emitError() << "internal error in code generation: " << e.what();
    return mlir::failure();
  }
  return mlir::success();
}

namespace {

std::string str(const Halide::Expr &e) {
  std::ostringstream os;
  os << e;
  return os.str();
}

} // namespace

void mlc::hl::printFunc(const Halide::Func &f, llvm::raw_ostream &os) {
  os << " ";
  std::string args;
  for (const Halide::Var &v : f.args())
    args += (args.empty() ? "" : ", ") + v.name();
  auto tuple = [](const Halide::Tuple &t) {
    if (t.size() == 1)
      return str(t[0]);
    std::string s;
    for (const Halide::Expr &e : t.as_vector())
      s += (s.empty() ? "{" : ", ") + str(e);
    return s + "}";
  };
  os << "  " << f.name() << "(" << args << ") = " << tuple(f.values()) << "\n";
  for (int u = 0; u < f.num_update_definitions(); ++u) {
    std::string uargs;
    for (const Halide::Expr &a : f.update_args(u))
      uargs += (uargs.empty() ? "" : ", ") + str(a);
    os << "   " << f.name() << "(" << uargs << ") = " << tuple(f.update_values(u)) << "\n";
  }
}


mlir::LogicalResult mlc::emitHalide(mlir::ModuleOp module, const CodegenOptions &options,
                                    llvm::raw_ostream &os) {
  auto target = parseTarget(module, options);
  if (mlir::failed(target))
    return mlir::failure();
  for (const char *name : kEntryPoints) {
    auto fn = module.lookupSymbol<mlir::func::FuncOp>(name);
    if (!fn)
      continue;
    LoweredFunction lf;
    if (mlir::failed(buildPipeline(fn, *target, options.scheduler, lf)))
      return mlir::failure();
    os << "function " << name << " (target " << target->to_string() << "): "
       << lf.kernels.size() << " kernels, " << lf.temps.size() << " temps\n";
    os << " inputs:";
    for (const Halide::ImageParam &p : lf.inputs)
      os << " " << p.name() << ":" << (p.type().is_float() ? "f32" : "i64") << "x"
         << p.dimensions() << "d";
    os << "\n";
    std::map<std::string, bool> printed;
    for (const Halide::Func &f : lf.funcs)
      printed[f.name()] = false;
    for (const Kernel &k : lf.kernels) {
      os << " kernel " << k.name << "(";
      for (auto [i, a] : llvm::enumerate(k.args))
        os << (i ? ", " : "") << a.name;
      os << ") ->";
      for (const Halide::Func &f : k.outputs)
        os << " " << f.name();
      os << "\n  algorithm:\n";
      // Funcs we defined (in program order), then the helpers Halide
      // created for inline reductions.
      std::map<std::string, Halide::Internal::Function> mine = kernelFuncs(k);
      for (const Halide::Func &f : lf.funcs)
        if (mine.count(f.name()) && !printed[f.name()]) {
          printFunc(f, os);
          printed[f.name()] = true;
        }
      for (auto &[n, f] : mine)
        if (!printed.count(n)) {
          printFunc(Halide::Func(f), os);
          printed[n] = true;
        }
      os << "  schedule:\n";
      for (const std::string &line : k.scheduleLog)
        os << "   " << line << "\n";
    }
    os << "\n";
  }
  return mlir::success();
}
