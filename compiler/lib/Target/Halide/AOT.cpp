//===- AOT.cpp - Objects, the Halide runtime and the model descriptor -----===//
//
// Each entry point becomes a static library compiled without a Halide
// runtime (NoRuntime); one standalone runtime object serves them all. The
// generated model.cpp tells the mlc runtime (runtime/include/mlc/Runtime/
// Model.h) the parameters, state, data and how to call each pipeline.
//
//===----------------------------------------------------------------------===//

#include "mlc/Target/Halide/Codegen.h"
#include "Lowering.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <map>
#include <set>
#include <sstream>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sys/wait.h>
#include <unistd.h>

using namespace mlc;
using namespace mlc::hl;

namespace {

std::string quote(llvm::StringRef s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// For integer inputs: one past the largest valid value, from what reads
/// them (the rows of an embedding table, the classes of a loss); 0 if none.
int64_t valueLimit(mlir::Value v) {
  for (mlir::Operation *user : v.getUsers()) {
    auto dim = [](mlir::Value t, int fromEnd) {
      auto type = mlir::cast<mlir::RankedTensorType>(t.getType());
      return type.getDimSize(type.getRank() - fromEnd);
    };
    if (auto e = mlir::dyn_cast<EmbeddingOp>(user))
      return mlir::cast<mlir::RankedTensorType>(e.getWeight().getType()).getDimSize(0);
    if (auto c = mlir::dyn_cast<CrossEntropyOp>(user))
      return dim(c.getLogits(), 1);
    if (auto a = mlir::dyn_cast<AccuracyOp>(user))
      return dim(a.getLogits(), 1);
  }
  return 0;
}

std::string tensorSpec(llvm::StringRef name, mlir::Type type, int64_t limit = 0) {
  auto t = mlir::cast<mlir::RankedTensorType>(type);
  std::string dims;
  for (int64_t d : t.getShape())
    dims += (dims.empty() ? "" : ", ") +
            (mlir::ShapedType::isDynamic(d) ? std::string("kBatch") : std::to_string(d));
  return "{" + quote(name) + ", " + (t.getElementType().isF32() ? "DType::F32" : "DType::I64") +
         ", " + std::to_string(t.getRank()) + ", {" + dims + "}, " + std::to_string(limit) + "}";
}

/// A kernel's algorithm with its names made positional: arguments become
/// `$argI` (with type and dimensions), Funcs and the names Halide made up
/// `$fI`, numbered in order of first appearance; `order` gets the index in
/// `k.args` of each `$argI`. Two kernels with the same text compute the same
/// outputs from the same arguments, whatever their names and order.
std::string canonicalAlgorithm(const LoweredFunction &fn, const Kernel &k,
                               std::vector<size_t> &order) {
  std::map<std::string, Halide::Internal::Function> all = kernelFuncs(k);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "outputs";
  for (const Halide::Func &out : k.outputs)
    os << " " << out.name();
  os << "\n";
  // Program order first (the same ops in the same order print alike), then
  // Halide's helpers by name.
  std::vector<std::string> printed;
  std::set<std::string> seen;
  for (const Halide::Func &f : fn.funcs)
    if (all.count(f.name()) && seen.insert(f.name()).second) {
      printFunc(f, os);
      printed.push_back(f.name());
    }
  for (auto &[name, f] : all)
    if (seen.insert(name).second) {
      printFunc(Halide::Func(f), os);
      printed.push_back(name);
    }
  // The shapes too: the schedules depend on static extents (two Linear
  // layers print alike with their weights as arguments).
  auto dims = [](const std::vector<int64_t> &shape) {
    std::string s;
    for (int64_t d : shape)
      s += (mlir::ShapedType::isDynamic(d) ? std::string("N") : std::to_string(d)) + ",";
    return s;
  };
  std::map<std::string, std::string> argShape;
  if (k.anyShape) {
    os << "any shape" << (anyShapeParallel(k) ? ", parallel" : "") << "\n";
  } else {
    for (const Halide::Argument &a : k.args) {
      for (auto [i, p] : llvm::enumerate(fn.inputs))
        if (p.name() == a.name)
          argShape[a.name] = dims(fn.inputShapes[i]);
      for (const Temp &t : fn.temps)
        if (t.image.name() == a.name)
          argShape[a.name] = dims(t.shape);
    }
    for (const std::string &name : printed)
      if (auto shape = fn.shapes.find(name); shape != fn.shapes.end()) {
        os << "shape " << name;
        for (const Halide::Expr &e : shape->second) {
          std::ostringstream extent;
          extent << e;
          os << " " << extent.str();
        }
        os << "\n";
      }
    for (const auto &shape : k.outputShapes)
      os << "output shape " << dims(shape) << "\n";
  }
  os.flush();

  std::map<std::string, size_t> argIndex;
  for (auto [i, a] : llvm::enumerate(k.args))
    argIndex[a.name] = i;
  std::map<std::string, std::string> rename;
  order.clear();
  auto renameArg = [&](size_t i) {
    const Halide::Argument &a = k.args[i];
    std::string name = "$arg" + std::to_string(order.size()) + (a.is_buffer() ? "b" : "s") +
                       std::to_string(a.dimensions) + "t" + std::to_string(a.type.bits()) +
                       std::to_string(int(a.type.code()));
    order.push_back(i);
    return rename.emplace(a.name, name).first->second;
  };
  // Names a kernel makes up: Halide's let variables (t123) and the
  // reduction variables named after our Funcs (f83_matmul_k$x). Two Linear
  // layers of one function differ only in these (measured: gpt's two blocks
  // compiled 160 train_step kernels, not one per distinct computation).
  auto isLocalName = [](const std::string &t) {
    auto digitsFrom = [&](size_t i) {
      size_t j = i;
      while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j])))
        ++j;
      return j;
    };
    if (t.size() > 1 && t[0] == 't' && digitsFrom(1) == t.size())
      return true;
    return t.size() > 2 && t[0] == 'f' && digitsFrom(1) > 1 && digitsFrom(1) < t.size() &&
           t[digitsFrom(1)] == '_';
  };
  auto isIdent = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '.';
  };
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (!isIdent(text[i])) {
      out += text[i++];
      continue;
    }
    size_t j = i;
    while (j < text.size() && isIdent(text[j]))
      ++j;
    std::string token = text.substr(i, j - i);
    // An argument's field (`<arg>.extent.2`, which a split by a fraction of
    // a buffer's extent reads) is renamed with its argument: unrenamed it
    // made every bias gradient over [N, T] rows a kernel of its own (gpt:
    // 14 compiled copies instead of one, +1.3 s of compile time).
    std::string field;
    if (size_t dot = token.find('.');
        dot != std::string::npos && !rename.count(token) && argIndex.count(token.substr(0, dot))) {
      field = token.substr(dot);
      token = token.substr(0, dot);
    }
    if (auto r = rename.find(token); r != rename.end())
      out += r->second;
    else if (auto a = argIndex.find(token); a != argIndex.end())
      out += renameArg(a->second);
    else if (all.count(token) || isLocalName(token))
      out += rename.emplace(token, "$f" + std::to_string(rename.size())).first->second;
    else
      out += token;
    out += field;
    i = j;
  }
  // Every argument in order, with its shape (an argument only a schedule
  // refers to would not have appeared above).
  for (size_t i = 0; i < k.args.size(); ++i)
    if (!rename.count(k.args[i].name))
      renameArg(i);
  for (size_t i : order)
    out += "argument " + rename[k.args[i].name] + " " + argShape[k.args[i].name] + "\n";
  return out;
}

/// Marks each kernel that computes what an earlier one does (`sameAs`) and
/// puts its arguments in that kernel's order, the order its code takes them
/// in (Halide orders them by name: a temp `eval_step_k0_r0` sorts before a
/// parameter `pretrained_w` where `train_step_k0_r0` sorts after it).
void shareKernels(std::vector<LoweredFunction> &functions) {
  struct First {
    const Kernel *kernel;
    std::vector<size_t> order;
  };
  std::map<std::string, First> first; // canonical text -> the kernel compiled
  for (LoweredFunction &f : functions)
    for (Kernel &k : f.kernels) {
      std::vector<size_t> order;
      std::string key = canonicalAlgorithm(f, k, order);
      auto [it, inserted] = first.emplace(key, First{&k, order});
      if (inserted)
        continue;
      const First &a = it->second;
      std::vector<size_t> position(order.size()); // index in a's args -> its $argI
      for (size_t r = 0; r < a.order.size(); ++r)
        position[a.order[r]] = r;
      std::vector<Halide::Argument> args;
      std::vector<int> slots;
      for (size_t j = 0; j < a.kernel->args.size(); ++j) {
        args.push_back(k.args[order[position[j]]]);
        slots.push_back(k.argSlots[order[position[j]]]);
      }
      k.args = std::move(args);
      k.argSlots = std::move(slots);
      k.sameAs = a.kernel->name;
    }
}

/// Writes model.cpp: the runtime's view of the compiled module.
class DescriptorWriter {
public:
  DescriptorWriter(mlir::ModuleOp m, const std::vector<LoweredFunction> &functions,
                   const Halide::Target &target)
      : module_(m), functions_(functions) {
    if (target.has_feature(Halide::Target::CUDA)) {
      deviceApi_ = "CUDA";
      deviceInterface_ = "halide_cuda_device_interface";
    } else if (target.has_feature(Halide::Target::OpenCL)) {
      deviceApi_ = "OpenCL";
      deviceInterface_ = "halide_opencl_device_interface";
    }
  }

  mlir::LogicalResult write(const std::string &path, const std::string &target) {
    auto train = module_.lookupSymbol<mlir::func::FuncOp>("train_step");
    auto eval = module_.lookupSymbol<mlir::func::FuncOp>("eval_step");
    auto predict = module_.lookupSymbol<mlir::func::FuncOp>("predict");
    if (!train || !eval || !predict)
      return module_.emitError("code generation needs @train_step, @eval_step and @predict "
                               "(run the training pipeline first)");
    // Index spaces: params in mlc.param order; state and data in
    // train_step's argument order; outputs in eval_step's result order.
    for (ParamOp p : module_.getOps<ParamOp>())
      params_[p.getSymName()] = params_.size();
    for (unsigned i = 0; i < train.getNumArguments(); ++i) {
      if (auto s = train.getArgAttrOfType<mlir::StringAttr>(i, "mlc.state")) {
        state_[s.getValue()] = stateNames_.size();
        stateNames_.push_back(s.getValue().str());
      }
      if (auto d = train.getArgAttrOfType<mlir::StringAttr>(i, "mlc.data")) {
        data_[d.getValue()] = dataSpecs_.size();
        dataSpecs_.push_back(tensorSpec(d.getValue(), train.getArgument(i).getType(),
                                        valueLimit(train.getArgument(i))));
      }
    }
    for (unsigned i = 0; i < eval.getNumResults(); ++i)
      if (auto n = eval.getResultAttrOfType<mlir::StringAttr>(i, "mlc.name")) {
        outputs_[n.getValue()] = outputNames_.size();
        outputNames_.push_back(n.getValue().str());
      }

    std::string s;
    llvm::raw_string_ostream os(s);
    os << "// Generated by mlc. Do not edit: it describes the pipelines built next to it.\n"
       << "#include \"mlc/Runtime/Model.h\"\n\n";
    if (!deviceApi_.empty())
      os << "extern \"C\" const halide_device_interface_t *" << deviceInterface_ << "();\n";
    for (const LoweredFunction &f : functions_)
      for (const Kernel &k : f.kernels)
        if (k.sameAs.empty())
          os << "extern \"C\" int " << k.name << "_argv(void **args);\n";
    os << "\nnamespace mlc::rt {\nnamespace {\n\n";
    for (const LoweredFunction &f : functions_)
      writeProgram(os, f);
    writeParams(os);
    writeArray(os, "StateSpec", "kState", [&](llvm::raw_ostream &o) {
      for (const std::string &n : stateNames_) {
        llvm::StringRef name(n);
        llvm::StringRef param = name.drop_front(strlen("optimizer.")).rsplit('.').first;
        o << "  {" << quote(name) << ", " << params_.lookup(param) << "},\n";
      }
    });
    writeArray(os, "TensorSpec", "kData", [&](llvm::raw_ostream &o) {
      for (const std::string &d : dataSpecs_)
        o << "  " << d << ",\n";
    });
    std::vector<std::string> predictInputs;
    for (unsigned i = 0; i < predict.getNumArguments(); ++i)
      if (auto d = predict.getArgAttrOfType<mlir::StringAttr>(i, "mlc.data")) {
        predictInputs_[d.getValue()] = predictInputs.size();
        predictInputs.push_back(tensorSpec(d.getValue(), predict.getArgument(i).getType(),
                                           valueLimit(predict.getArgument(i))));
      }
    writeArray(os, "TensorSpec", "kPredictInputs", [&](llvm::raw_ostream &o) {
      for (const std::string &d : predictInputs)
        o << "  " << d << ",\n";
    });
    writeArray(os, "char *const", "kOutputs", [&](llvm::raw_ostream &o) {
      for (const std::string &n : outputNames_)
        o << "  " << quote(n) << ",\n";
    }, /*isConst=*/true);
    auto opt = module_->getAttrOfType<mlir::DictionaryAttr>("mlc.optimizer");
    unsigned numHyper = 0;
    writeArray(os, "Hyper", "kHyper", [&](llvm::raw_ostream &o) {
      for (mlir::NamedAttribute a : opt) {
        if (a.getName() == "kind")
          continue;
        std::vector<double> v;
        if (auto f = mlir::dyn_cast<mlir::FloatAttr>(a.getValue()))
          v.push_back(f.getValueAsDouble());
        if (auto arr = mlir::dyn_cast<mlir::ArrayAttr>(a.getValue()))
          for (mlir::Attribute e : arr)
            v.push_back(mlir::cast<mlir::FloatAttr>(e).getValueAsDouble());
        v.resize(2, 0.0);
        o << "  {" << quote(a.getName().getValue()) << ", "
          << (mlir::isa<mlir::ArrayAttr>(a.getValue()) ? 2 : 1) << ", {" << num(v[0]) << ", "
          << num(v[1]) << "}},\n";
        ++numHyper;
      }
    });
    writeArgs(os, "kTrainArgs", train, false);
    writeArgs(os, "kEvalArgs", eval, false);
    writeArgs(os, "kPredictArgs", predict, true);

    auto count = [&](size_t n, const char *array) {
      return std::to_string(n) + ", " + (n ? array : "nullptr");
    };
    auto kind = opt.getAs<mlir::StringAttr>("kind");
    auto i64 = [&](llvm::StringRef key, int64_t dflt) {
      auto a = module_->getAttrOfType<mlir::IntegerAttr>(key);
      return a ? a.getInt() : dflt;
    };
    os << "} // namespace\n\nconst ModelSpec kModel = {\n"
       << "  " << quote(module_.getSymName() ? *module_.getSymName() : "train") << ",\n"
       << "  " << quote(module_->getAttrOfType<mlir::StringAttr>("mlc.model").getValue())
       << ",\n"
       << "  " << quote(target) << ",\n"
       << "  " << count(params_.size(), "kParams") << ",\n"
       << "  " << count(stateNames_.size(), "kState") << ",\n"
       << "  " << count(dataSpecs_.size(), "kData") << ",\n"
       << "  " << count(predictInputs.size(), "kPredictInputs") << ",\n"
       << "  " << count(outputNames_.size(), "kOutputs") << ",\n"
       << "  " << tensorSpec("output", predict.getResultTypes()[0]) << ",\n"
       << "  " << quote(kind ? kind.getValue() : "SGD") << ",\n"
       << "  " << count(numHyper, "kHyper") << ",\n"
       << "  " << i64("mlc.batch_size", 32) << ", " << i64("mlc.epochs", 1) << ",\n"
       << "  {\"train_step\", nullptr, " << count(argCounts_[0], "kTrainArgs")
       << ", &train_step_program},\n"
       << "  {\"eval_step\", nullptr, " << count(argCounts_[1], "kEvalArgs")
       << ", &eval_step_program},\n"
       << "  {\"predict\", nullptr, " << count(argCounts_[2], "kPredictArgs")
       << ", &predict_program},\n"
       << "  0, 0,\n";
    if (deviceApi_.empty())
      os << "};\n\n} // namespace mlc::rt\n";
    else
      os << "  " << deviceInterface_ << ", " << quote(deviceApi_) << ",\n};\n\n"
         << "} // namespace mlc::rt\n";
    os.flush();
    if (failed_)
      return mlir::failure();

    std::error_code ec;
    llvm::raw_fd_ostream file(path, ec);
    if (ec)
      return module_.emitError() << "cannot write '" << path << "': " << ec.message();
    file << s;
    return mlir::success();
  }

private:
  template <typename F>
  void writeArray(llvm::raw_ostream &os, const char *type, const char *name, F body,
                  bool isConst = false) {
    std::string items;
    llvm::raw_string_ostream is(items);
    body(is);
    is.flush();
    if (items.empty())
      return;
    os << "const " << type << " " << name << "[] = {\n" << items << "};\n\n";
  }

  void writeParams(llvm::raw_ostream &os) {
    writeArray(os, "ParamSpec", "kParams", [&](llvm::raw_ostream &o) {
      for (ParamOp p : module_.getOps<ParamOp>()) {
        o << "  {" << tensorSpec(p.getSymName(), p.getType()) << ", " << quote(p.getInit())
          << ", " << num(p.getScale().convertToDouble()) << ", "
          << (p.getFrozen() ? "true" : "false") << ", "
          << (p.getInitFrom() ? quote(*p.getInitFrom()) : "nullptr") << ", "
          << (p.getInitKey() ? quote(*p.getInitKey()) : "nullptr") << "},\n";
      }
    });
  }

  /// An optimizer update compiled for any extents: its schedule
  /// (ScheduleCPU.cpp) computes each element once, the new parameter
  /// before the new state, so the runtime may update in place when the new
  /// state does not read the parameter (coupled weight decay does) and SGD
  /// has no momentum buffer.
  static bool updatesInPlace(const Kernel &k) {
    if (!k.anyShape || !k.op)
      return false;
    if (auto adam = llvm::dyn_cast<mlc::AdamUpdateOp>(k.op))
      return adam.getDecoupled() || adam.getWeightDecay().isZero();
    if (auto sgd = llvm::dyn_cast<mlc::SgdUpdateOp>(k.op))
      return !sgd.getMomentumBuffer();
    return false;
  }

  /// The kernels of one function, their slots and the temps between them.
  void writeProgram(llvm::raw_ostream &os, const LoweredFunction &f) {
    for (const Kernel &k : f.kernels) {
      os << "const int " << k.name << "_slots[] = {";
      std::vector<int> slots = k.argSlots;
      slots.insert(slots.end(), k.outputSlots.begin(), k.outputSlots.end());
      for (auto [i, slot] : llvm::enumerate(slots))
        os << (i ? ", " : "") << slot;
      os << "};\n";
    }
    os << "const KernelSpec " << f.name << "_kernels[] = {\n";
    for (const Kernel &k : f.kernels) {
      bool inPlace = updatesInPlace(k);
      os << "  {" << quote(k.name) << ", " << (k.sameAs.empty() ? k.name : k.sameAs) << "_argv, "
         << k.argSlots.size() + k.outputSlots.size() << ", " << k.name << "_slots, "
         << k.outputSlots.size() << ", " << (inPlace ? "true" : "false")
         << (k.invariant ? ", /*invariant=*/true" : "") << "},\n";
    }
    os << "};\n";
    if (!f.temps.empty()) {
      os << "const TempSpec " << f.name << "_temps[] = {\n";
      for (const Temp &t : f.temps) {
        std::string dims;
        for (int64_t d : t.shape)
          dims += (dims.empty() ? "" : ", ") +
                  (mlir::ShapedType::isDynamic(d) ? std::string("kBatch") : std::to_string(d));
        os << "  {" << (t.image.type().is_float() ? "DType::F32" : "DType::I64") << ", "
           << t.shape.size() << ", {" << dims << "}, " << t.first << ", " << t.last << "},\n";
      }
      os << "};\n";
    }
    os << "const ProgramSpec " << f.name << "_program = {" << f.kernels.size() << ", "
       << f.name << "_kernels, " << f.temps.size() << ", "
       << (f.temps.empty() ? "nullptr" : f.name + "_temps") << ", " << f.batchArg << "};\n\n";
  }

  void writeArgs(llvm::raw_ostream &os, const char *name, mlir::func::FuncOp fn,
                 bool isPredict) {
    unsigned n = 0;
    writeArray(os, "ArgSpec", name, [&](llvm::raw_ostream &o) {
      auto entry = [&](llvm::StringRef role, size_t index, bool out) {
        o << "  {ArgSpec::" << role << ", " << index << ", " << (out ? "true" : "false")
          << "},\n";
        ++n;
      };
      for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
        if (auto s = fn.getArgAttrOfType<mlir::StringAttr>(i, "mlc.param"))
          entry("Param", params_.lookup(s.getValue()), false);
        else if (auto s = fn.getArgAttrOfType<mlir::StringAttr>(i, "mlc.state"))
          entry("State", state_.lookup(s.getValue()), false);
        else if (fn.getArgAttr(i, "mlc.step"))
          entry("Step", 0, false);
        else if (auto s = fn.getArgAttrOfType<mlir::StringAttr>(i, "mlc.data"))
          entry("Data", isPredict ? predictInputs_.lookup(s.getValue()) : data_.lookup(s.getValue()),
                false);
      }
      for (unsigned i = 0; i < fn.getNumResults(); ++i) {
        if (auto s = fn.getResultAttrOfType<mlir::StringAttr>(i, "mlc.param"))
          entry("Param", params_.lookup(s.getValue()), true);
        else if (auto s = fn.getResultAttrOfType<mlir::StringAttr>(i, "mlc.state"))
          entry("State", state_.lookup(s.getValue()), true);
        else if (auto s = fn.getResultAttrOfType<mlir::StringAttr>(i, "mlc.name"))
          entry("Output", isPredict ? 0 : outputs_.lookup(s.getValue()), true);
      }
    });
    argCounts_[isPredict ? 2 : (llvm::StringRef(name) == "kTrainArgs" ? 0 : 1)] = n;
    // Kernel slots number every argument and result.
    if (n != fn.getNumArguments() + fn.getNumResults()) {
      fn.emitError("an argument or result has no mlc.param/state/step/data/name attribute");
      failed_ = true;
    }
  }

  mlir::ModuleOp module_;
  const std::vector<LoweredFunction> &functions_;
  llvm::StringMap<size_t> params_, state_, data_, outputs_, predictInputs_;
  std::vector<std::string> stateNames_, dataSpecs_, outputNames_;
  size_t argCounts_[3] = {0, 0, 0};
  bool failed_ = false;
  std::string deviceApi_, deviceInterface_; // empty for CPU targets
};

/// The objects one share of the kernels is compiled into: one for CPU
/// targets; one per kernel for GPU targets, because the kernels of modules
/// linked into one object share one GPU program cache entry (measured: the
/// second kernel's launch found only the first kernel's code,
/// CL_INVALID_KERNEL_NAME).
std::vector<std::string> shareObjects(const std::vector<const Kernel *> &kernels,
                                      const Halide::Target &target, const std::string &dir,
                                      unsigned share) {
  if (!target.has_gpu_feature())
    return {dir + "/kernels" + std::to_string(share) + ".o"};
  std::vector<std::string> objects;
  for (const Kernel *k : kernels)
    objects.push_back(dir + "/" + k->name + ".o");
  return objects;
}

/// Compiles one share of the kernels into `objects` (shareObjects), and
/// Halide's runtime into `runtime` if not empty; Halide's message on failure.
std::string compileShare(const std::vector<const Kernel *> &kernels, const Halide::Target &target,
                         const std::string &name, const std::vector<std::string> &objects,
                         const std::string &runtime, const Halide::Target &runtimeTarget) {
  try {
    if (!runtime.empty())
      Halide::compile_standalone_runtime(runtime, runtimeTarget);
    std::vector<Halide::Module> modules;
    for (const Kernel *k : kernels)
      modules.push_back(
          Halide::Pipeline(k->outputs).compile_to_module(k->args, k->name, target));
    if (objects.size() == 1) {
      Halide::link_modules(name, modules).compile({{Halide::OutputFileType::object, objects[0]}});
    } else {
      for (size_t i = 0; i < modules.size(); ++i)
        modules[i].compile({{Halide::OutputFileType::object, objects[i]}});
    }
  } catch (const Halide::Error &e) {
    return e.what();
  } catch (const std::exception &e) {
    return std::string("internal error: ") + e.what();
  }
  return "";
}

/// Lowers and compiles every kernel, in `jobs` processes at once: LLVM takes
/// most of the time and is single-threaded, so the kernels are dealt out in
/// shares and each share is compiled by a forked child into its own object.
/// The shares are balanced by estimated compile time: a kernel with a
/// product counts 3, any other 1, and one more per 5 Funcs (measured per
/// kernel, seed autoencoder: products 170-330 ms, Adam 150 ms, others
/// 40-90 ms; gpt: a layer norm backward of 15 Funcs 0.5 s, Adam and softmax
/// 0.32-0.34 s, products 0.15-0.32 s: without the Funcs term its layer
/// norms could land in one process, 4.7-5.4 s to compile; one per Func and
/// two per product made the autoencoder's products look cheap). Dealt
/// round-robin, one process was often left compiling alone (6.4 s, user
/// time 8.7 s on 2 cores). One module per share rather than per kernel:
/// per-kernel objects cost 15 % more compile time in all. Halide's runtime
/// (`runtime`, for `runtimeTarget`) is one more job, the longest (0.75 s).
mlir::FailureOr<std::vector<std::string>>
compileKernels(mlir::ModuleOp module, const std::vector<LoweredFunction> &functions,
               const Halide::Target &target, const std::string &dir, unsigned jobs,
               const std::string &runtime, const Halide::Target &runtimeTarget) {
  std::vector<std::pair<const Kernel *, int>> all; // kernel, estimated cost
  for (const LoweredFunction &f : functions)
    for (const Kernel &k : f.kernels)
      if (k.sameAs.empty()) {
        bool product = false;
        std::map<std::string, Halide::Internal::Function> funcs = kernelFuncs(k);
        for (auto &[name, function] : funcs)
          product |= f.gemms.count(name) > 0;
        all.emplace_back(&k, (product ? 3 : 1) + int(funcs.size()) / 5);
      }
  jobs = std::max(1u, std::min<unsigned>(jobs, all.size()));
  // Longest first, each to the least loaded share.
  std::stable_sort(all.begin(), all.end(),
                   [](const auto &a, const auto &b) { return a.second > b.second; });
  std::vector<std::vector<const Kernel *>> shares(jobs);
  std::vector<int> load(jobs, 0);
  load[0] = 10; // the runtime
  for (const auto &[k, cost] : all) {
    size_t j = std::min_element(load.begin(), load.end()) - load.begin();
    shares[j].push_back(k);
    load[j] += cost;
  }
  std::vector<std::vector<std::string>> shareFiles;
  std::vector<std::string> objects;
  for (unsigned j = 0; j < jobs; ++j) {
    shareFiles.push_back(shareObjects(shares[j], target, dir, j));
    objects.insert(objects.end(), shareFiles[j].begin(), shareFiles[j].end());
  }
  if (jobs == 1) {
    std::string error =
        compileShare(shares[0], target, "mlc_kernels0", shareFiles[0], runtime, runtimeTarget);
    if (!error.empty())
      return module.emitError() << "Halide: " << error;
    return objects;
  }
  std::fflush(stdout);
  std::fflush(stderr);
  std::vector<pid_t> children;
  for (unsigned j = 0; j < jobs; ++j) {
    pid_t pid = fork();
    if (pid == 0) {
      std::string error = compileShare(shares[j], target, "mlc_kernels" + std::to_string(j),
                                       shareFiles[j], j == 0 ? runtime : "", runtimeTarget);
      if (!error.empty())
        std::fprintf(stderr, "mlc: error: Halide: %s\n", error.c_str());
      std::fflush(stderr);
      _exit(error.empty() ? 0 : 1);
    }
    if (pid < 0) {
      for (pid_t c : children)
        waitpid(c, nullptr, 0);
      return module.emitError() << "cannot start a compile process: " << std::strerror(errno);
    }
    children.push_back(pid);
  }
  bool ok = true;
  for (pid_t c : children) {
    int status = 0;
    ok &= waitpid(c, &status, 0) == c && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  if (!ok)
    return module.emitError("compiling the Halide kernels failed (see above)");
  return objects;
}

} // namespace

mlir::FailureOr<std::vector<std::string>>
mlc::compileToObjects(mlir::ModuleOp module, const CodegenOptions &options,
                      const std::string &dir) {
  auto target = parseTarget(module, options);
  if (mlir::failed(target))
    return mlir::failure();
  // The runtime never asks a kernel for bounds; it passes every buffer, built
  // from the same shapes the kernels were compiled for (and checks data and
  // checkpoints against them first), so the kernels' checks of each buffer's
  // shape are off unless asked for: they were a third of the compile time.
  Halide::Target kernelTarget = target->with_feature(Halide::Target::NoRuntime)
                                    .with_feature(Halide::Target::NoBoundsQuery);
  // An autoscheduler's schedule is only as safe as its estimates (a batch
  // smaller than the estimate can make it write past a buffer), so its
  // kernels keep the checks.
  // GPU kernels keep them too: without asserts a failed kernel launch or
  // device copy is not reported (measured: a launch that failed with
  // CL_INVALID_KERNEL_NAME returned 0).
  if (!options.asserts && options.scheduler == "manual" && !target->has_gpu_feature())
    kernelTarget = kernelTarget.with_feature(Halide::Target::NoAsserts);
  // The schedules vectorize and unroll explicitly; LLVM's loop passes found
  // nothing to add (same step time on the autoencoder) and cost 25 % of the
  // compile time (12.0 s -> 9.1 s). Halide 15 turns them off by default.
  if (!target->has_feature(Halide::Target::EnableLLVMLoopOpt))
    kernelTarget = kernelTarget.with_feature(Halide::Target::DisableLLVMLoopOpt);
  std::vector<LoweredFunction> functions(std::size(kEntryPoints));
  for (auto [index, name] : llvm::enumerate(kEntryPoints)) {
    auto fn = module.lookupSymbol<mlir::func::FuncOp>(name);
    if (!fn)
      return module.emitError("code generation needs @train_step, @eval_step and @predict "
                              "(run the training pipeline first)");
    if (mlir::failed(buildPipeline(fn, *target, options.scheduler, functions[index])))
      return mlir::failure();
  }
  // eval_step's and predict's forward kernels are train_step's: compiled
  // once (the seed autoencoder: 130 kernels -> 99).
  shareKernels(functions);
  std::vector<std::string> files;
  std::string modelCpp = dir + "/model.cpp";
  if (mlir::failed(DescriptorWriter(module, functions, *target).write(modelCpp, target->to_string())))
    return mlir::failure();
  files.push_back(modelCpp);
  auto objects = compileKernels(module, functions, kernelTarget, dir, options.jobs,
                                dir + "/halide_runtime.o", *target);
  if (mlir::failed(objects))
    return mlir::failure();
  files.insert(files.end(), objects->begin(), objects->end());
  files.push_back(dir + "/halide_runtime.o");
  return files;
}

bool mlc::linkExecutable(const std::vector<std::string> &files, const std::string &output) {
  std::string cxx = "c++";
  if (const char *env = std::getenv("CXX"); env && *env)
    cxx = env;
  llvm::ErrorOr<std::string> program = llvm::sys::findProgramByName(cxx);
  if (!program) {
    llvm::errs() << "mlc: error: cannot find the C++ compiler '" << cxx
                 << "' to link the executable; install g++ or set CXX\n";
    return false;
  }
  std::string tmp = output + ".tmp";
  std::vector<std::string> argv = {*program, "-O2", "-std=c++17", "-I", MLC_RUNTIME_INCLUDE_DIR};
  argv.insert(argv.end(), files.begin(), files.end());
  argv.insert(argv.end(), {MLC_RUNTIME_LIBRARY, "-lpthread", "-ldl", "-o", tmp});
  std::vector<llvm::StringRef> args(argv.begin(), argv.end());
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*program, args, std::nullopt, {}, 0, 0, &message);
  if (rc != 0) {
    llvm::sys::fs::remove(tmp);
    llvm::errs() << "mlc: error: linking '" << output << "' failed"
                 << (message.empty() ? "" : ": " + message) << "\n";
    return false;
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmp, output)) {
    llvm::sys::fs::remove(tmp);
    llvm::errs() << "mlc: error: cannot write '" << output << "': " << ec.message() << "\n";
    return false;
  }
  return true;
}
