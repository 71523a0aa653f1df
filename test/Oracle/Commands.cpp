//===- Commands.cpp - mlc-oracle run and train ----------------------------===//
//
// Both run a function on parameters initialised from their `init`/`scale`
// attributes, data drawn at random, and any value given with --set.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"
#include "Inputs.h"
#include "Kernels.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;

namespace mlc::oracle {

namespace {

/// What an argument of a function is, by its attribute.
enum class ArgKind { Param, State, Step, Data };

/// The values a function runs on, except the per-step ones.
struct Setup {
  std::map<std::string, std::vector<double>> sets; // --set NAME=values
  ParamMap params;
  int64_t batch = 3;
};

} // namespace

static LogicalResult cliError(const Twine &message) {
  llvm::errs() << "mlc-oracle: error: " << message << "\n";
  return failure();
}

static ArgKind kindOf(func::FuncOp fn, unsigned i) {
  if (fn.getArgAttr(i, "mlc.param"))
    return ArgKind::Param;
  if (fn.getArgAttr(i, "mlc.state"))
    return ArgKind::State;
  if (fn.getArgAttr(i, "mlc.step"))
    return ArgKind::Step;
  return ArgKind::Data;
}

static RankedTensorType argType(func::FuncOp fn, unsigned i) {
  return cast<RankedTensorType>(fn.getArgumentTypes()[i]);
}

static LogicalResult parseSet(StringRef set, Setup &s) {
  auto [name, list] = set.split('=');
  if (name.empty() || list.empty())
    return cliError("--set takes NAME=v1,v2,..., got '" + set + "'");
  std::vector<double> values;
  SmallVector<StringRef> items;
  list.split(items, ',');
  for (StringRef item : items) {
    std::string text = item.trim().str();
    char *end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0')
      return cliError("--set " + name + ": '" + item + "' is not a number");
    values.push_back(v);
  }
  if (!s.sets.emplace(name.str(), std::move(values)).second)
    return cliError("--set " + name + " given twice");
  return success();
}

/// Parses the --set values, checks that each names a parameter or an
/// argument of `fn`, and fixes N: --batch, else what a --set value of an
/// argument with a `?` implies, else 3.
static FailureOr<Setup> prepare(ModuleOp module, func::FuncOp fn, const RunOptions &o) {
  Setup s;
  if (failed(verifyTensorArgs(fn)))
    return failure();
  for (const std::string &set : o.sets)
    if (failed(parseSet(set, s)))
      return failure();
  std::optional<int64_t> batch = o.batch;
  for (auto &[name, values] : s.sets) {
    bool known = module.lookupSymbol<ParamOp>(name) != nullptr;
    for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
      if (argName(fn, i) != name)
        continue;
      known = true;
      RankedTensorType type = argType(fn, i);
      // Only a single `?` tells N directly (setValue checks the others).
      if (type.getNumDynamicDims() != 1)
        continue;
      int64_t perBatch = numElements(concreteShape(type, 1));
      if (perBatch == 0)
        continue;
      int64_t n = static_cast<int64_t>(values.size()) / perBatch;
      if (n < 1 || n * perBatch != static_cast<int64_t>(values.size()))
        return cliError("--set " + name + ": " + Twine(values.size()) +
                        " values do not fill a whole number of batch rows of " + Twine(perBatch));
      if (batch && *batch != n)
        return cliError("--set " + name + " implies N = " + Twine(n) +
                        ", but N = " + Twine(*batch) + " already");
      batch = n;
    }
    if (!known)
      return cliError("--set " + name + ": no parameter or argument of @" + fn.getSymName() +
                      " has that name");
  }
  s.batch = batch.value_or(3);
  if (s.batch < 1)
    return cliError("the batch size must be >= 1");
  return s;
}

/// The --set value of `name` as a tensor of `type`, if there is one.
static FailureOr<std::optional<Tensor>> setValue(const Setup &s, StringRef name,
                                                 RankedTensorType type) {
  auto it = s.sets.find(name.str());
  if (it == s.sets.end())
    return std::optional<Tensor>();
  Tensor t(concreteShape(type, s.batch));
  if (it->second.size() != t.data.size())
    return cliError("--set " + name + ": " + Twine(it->second.size()) + " values for shape " +
                    shapeToString(t.shape));
  for (double v : it->second)
    if (type.getElementType().isInteger(64) && v != std::floor(v))
      return cliError("--set " + name + ": " + std::to_string(v) + " is not an integer");
  t.data = it->second;
  return std::optional<Tensor>(std::move(t));
}

/// Parameters from their init attributes, replaced by --set values; then
/// every argument that is neither a parameter nor optimizer state nor the
/// step: from --set, else random. Parameter, state and step arguments are
/// left empty for the caller.
static FailureOr<std::vector<Tensor>> initValues(ModuleOp module, func::FuncOp fn, Setup &s,
                                                 uint64_t seed) {
  Rng rng(seed);
  s.params = initParams(module, rng, ParamInit::FromAttrs);
  for (auto &[name, value] : s.params) {
    auto type = RankedTensorType::get(value.shape, Float32Type::get(module.getContext()));
    auto set = setValue(s, name, type);
    if (failed(set))
      return failure();
    if (*set)
      value = std::move(**set);
  }
  std::vector<Tensor> args(fn.getNumArguments());
  for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
    if (kindOf(fn, i) != ArgKind::Data)
      continue;
    auto set = setValue(s, argName(fn, i), argType(fn, i));
    if (failed(set))
      return failure();
    args[i] = *set ? std::move(**set) : randomArg(fn.getArgument(i), s.batch, rng);
  }
  return args;
}

/// Optimizer state from --set; what is not there starts at zero.
static FailureOr<ParamMap> initialState(func::FuncOp fn, const Setup &s) {
  ParamMap state;
  for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
    if (kindOf(fn, i) != ArgKind::State)
      continue;
    auto set = setValue(s, argName(fn, i), argType(fn, i));
    if (failed(set))
      return failure();
    state[argName(fn, i)] =
        *set ? std::move(**set) : Tensor(concreteShape(argType(fn, i), s.batch), 0.0);
  }
  return state;
}

/// Fills the parameter, state and step arguments of `args` for step `step`.
static LogicalResult bindStepArgs(func::FuncOp fn, const Setup &s, const ParamMap &state,
                                  int64_t step, std::vector<Tensor> &args) {
  for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
    std::string name = argName(fn, i);
    switch (kindOf(fn, i)) {
    case ArgKind::Param: {
      auto it = s.params.find(name);
      if (it == s.params.end())
        return fn.emitError() << "argument #" << i << " names the parameter '" << name
                              << "', which is no 'mlc.param'";
      args[i] = it->second;
      break;
    }
    case ArgKind::State:
      args[i] = state.at(name);
      break;
    case ArgKind::Step:
      args[i] = Tensor({}, static_cast<double>(step));
      break;
    case ArgKind::Data:
      break;
    }
  }
  return success();
}

static void printValues(const Tensor &t) {
  for (double v : t.data)
    llvm::outs() << llvm::format(" %.9g", v);
  llvm::outs() << "\n";
}

LogicalResult runFunction(ModuleOp module, StringRef func, const RunOptions &o) {
  auto fn = module.lookupSymbol<func::FuncOp>(func);
  if (!fn)
    return module.emitError() << "no 'func.func @" << func << "'";
  FailureOr<Setup> s = prepare(module, fn, o);
  if (failed(s))
    return failure();
  auto args = initValues(module, fn, *s, o.seed);
  if (failed(args))
    return failure();
  // Optimizer state starts at zero and the step at 1, unless --set.
  int64_t step = 1;
  for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
    if (kindOf(fn, i) != ArgKind::Step)
      continue;
    auto set = setValue(*s, argName(fn, i), argType(fn, i));
    if (failed(set))
      return failure();
    if (*set)
      step = static_cast<int64_t>((*set)->data[0]);
  }
  auto state = initialState(fn, *s);
  if (failed(state) || failed(bindStepArgs(fn, *s, *state, step, *args)))
    return failure();

  auto results = evaluate(fn, *args, s->params);
  if (failed(results))
    return failure();
  for (unsigned i = 0; i < results->size(); ++i) {
    const Tensor &t = (*results)[i];
    llvm::outs() << "result " << i << " " << resultName(fn, i) << " shape "
                 << shapeToString(t.shape) << " values";
    printValues(t);
  }
  return success();
}

/// Checks that every argument of @train_step carries exactly one of
/// mlc.param, mlc.state, mlc.step and mlc.data, and every result one of
/// mlc.param, mlc.state and mlc.name.
static LogicalResult verifyTrainStep(func::FuncOp fn) {
  for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
    int count = 0;
    for (StringRef key : {"mlc.param", "mlc.state", "mlc.step", "mlc.data"})
      count += fn.getArgAttr(i, key) != nullptr;
    if (count != 1)
      return fn.emitError() << "argument #" << i
                            << " must carry exactly one of 'mlc.param', 'mlc.state', "
                               "'mlc.step' and 'mlc.data'";
  }
  for (unsigned i = 0; i < fn.getNumResults(); ++i) {
    int count = 0;
    for (StringRef key : {"mlc.param", "mlc.state", "mlc.name"})
      count += fn.getResultAttr(i, key) != nullptr;
    if (count != 1)
      return fn.emitError() << "result #" << i
                            << " must carry exactly one of 'mlc.param', 'mlc.state' and "
                               "'mlc.name'";
  }
  return success();
}

LogicalResult train(ModuleOp module, int64_t steps, const RunOptions &o) {
  auto fn = module.lookupSymbol<func::FuncOp>("train_step");
  if (!fn)
    return module.emitError("no 'func.func @train_step'");
  if (failed(verifyTrainStep(fn)))
    return failure();
  int lossIndex = -1;
  for (unsigned i = 0; i < fn.getNumResults(); ++i)
    if (auto name = fn.getResultAttrOfType<StringAttr>(i, "mlc.name"); name && name == "loss")
      lossIndex = i;
  auto lossType = lossIndex < 0 ? RankedTensorType()
                                : dyn_cast<RankedTensorType>(fn.getResultTypes()[lossIndex]);
  if (!lossType || lossType.getRank() != 0)
    return fn.emitError("@train_step must return a 0-d result {mlc.name = \"loss\"}");

  FailureOr<Setup> s = prepare(module, fn, o);
  if (failed(s))
    return failure();
  auto args = initValues(module, fn, *s, o.seed);
  if (failed(args))
    return failure();
  auto state = initialState(fn, *s);
  if (failed(state))
    return failure();

  for (int64_t t = 1; t <= steps; ++t) {
    if (failed(bindStepArgs(fn, *s, *state, t, *args)))
      return failure();
    auto results = evaluate(fn, *args, s->params);
    if (failed(results))
      return failure();
    llvm::outs() << "step " << t << " loss"
                 << llvm::format(" %.9g\n", (*results)[lossIndex].data[0]);
    for (unsigned i = 0; i < results->size(); ++i) {
      if (auto p = fn.getResultAttrOfType<StringAttr>(i, "mlc.param")) {
        llvm::outs() << "param " << p.getValue();
        printValues((*results)[i]);
        s->params[p.str()] = std::move((*results)[i]);
      } else if (auto st = fn.getResultAttrOfType<StringAttr>(i, "mlc.state")) {
        (*state)[st.str()] = std::move((*results)[i]);
      }
    }
  }
  return success();
}

} // namespace mlc::oracle
