//===- Inputs.cpp - Seeded inputs for the oracle --------------------------===//

#include "Inputs.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include <cmath>

using namespace mlir;

namespace mlc::oracle {

double Rng::uniform() {
  return static_cast<double>(engine() >> 11) * 0x1.0p-53; // 53 random bits
}

double Rng::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

double Rng::normal() {
  // Box-Muller; 1 - uniform() is in (0, 1], so the log is finite.
  double u1 = 1.0 - uniform(), u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

int64_t Rng::below(int64_t n) {
  return std::min(n - 1, static_cast<int64_t>(uniform() * static_cast<double>(n)));
}

ParamMap initParams(ModuleOp module, Rng &rng, ParamInit how) {
  ParamMap params;
  for (auto p : module.getOps<ParamOp>()) {
    auto type = cast<RankedTensorType>(p.getType());
    Tensor t(concreteShape(type, 0));
    double scale = p.getScale().convertToDouble();
    StringRef init = how == ParamInit::FromAttrs ? p.getInit() : "uniform";
    if (how == ParamInit::Uniform1 || (how == ParamInit::UniformScaled && scale == 0))
      scale = 1.0;
    for (double &x : t.data) {
      if (init == "uniform")
        x = rng.uniform(-scale, scale);
      else if (init == "normal")
        x = scale * rng.normal();
      else
        x = init == "ones" ? 1.0 : 0.0; // the verifier allows nothing else
    }
    params[p.getSymName().str()] = std::move(t);
  }
  return params;
}

static std::string nameFrom(DictionaryAttr attrs, ArrayRef<StringRef> keys, std::string fallback) {
  for (StringRef key : keys)
    if (auto s = dyn_cast_or_null<StringAttr>(attrs ? attrs.get(key) : Attribute()))
      return s.str();
  return fallback;
}

std::string argName(func::FuncOp fn, unsigned i) {
  if (fn.getArgAttr(i, "mlc.step"))
    return "step";
  return nameFrom(fn.getArgAttrDict(i), {"mlc.name", "mlc.data", "mlc.param", "mlc.state"},
                  "arg" + std::to_string(i));
}

std::string resultName(func::FuncOp fn, unsigned i) {
  return nameFrom(fn.getResultAttrDict(i), {"mlc.name", "mlc.param", "mlc.state", "mlc.grad"}, "-");
}

LogicalResult verifyTensorArgs(func::FuncOp fn) {
  for (auto [i, type] : llvm::enumerate(fn.getArgumentTypes()))
    if (!isa<RankedTensorType>(type))
      return fn.emitError() << "argument #" << i << " must be a ranked tensor, got " << type;
  return success();
}

std::vector<int64_t> concreteShape(RankedTensorType type, int64_t batch) {
  std::vector<int64_t> shape;
  for (int64_t d : type.getShape())
    shape.push_back(ShapedType::isDynamic(d) ? batch : d);
  return shape;
}

/// The smallest bound any use of `value` implies, or 0 when none does.
static int64_t usesRange(Value value) {
  int64_t range = 0;
  auto take = [&](int64_t r) { range = range ? std::min(range, r) : r; };
  auto lastDim = [](Value v) { return cast<RankedTensorType>(v.getType()).getShape().back(); };
  auto dim0 = [](Value v) { return cast<RankedTensorType>(v.getType()).getShape()[0]; };
  for (OpOperand &use : value.getUses()) {
    Operation *user = use.getOwner();
    if (auto e = dyn_cast<EmbeddingOp>(user); e && use.get() == e.getIndices())
      take(dim0(e.getWeight()));
    else if (auto e = dyn_cast<EmbeddingGradOp>(user); e && use.get() == e.getIndices())
      take(dim0(e.getResult()));
    else if (auto c = dyn_cast<CrossEntropyOp>(user); c && use.get() == c.getLabels())
      take(lastDim(c.getLogits()));
    else if (auto c = dyn_cast<CrossEntropyGradOp>(user); c && use.get() == c.getLabels())
      take(lastDim(c.getLogits()));
    else if (auto a = dyn_cast<AccuracyOp>(user); a && use.get() == a.getLabels())
      take(lastDim(a.getLogits()));
    else if (isa<ReshapeOp, PermuteOp>(user))
      if (int64_t r = usesRange(user->getResult(0)))
        take(r);
  }
  return range;
}

int64_t indexRange(Value value) {
  int64_t r = usesRange(value);
  return r > 0 ? r : 4;
}

Tensor randomArg(BlockArgument arg, int64_t batch, Rng &rng) {
  auto type = cast<RankedTensorType>(arg.getType());
  Tensor t(concreteShape(type, batch));
  bool isInt = type.getElementType().isInteger(64);
  int64_t range = isInt ? indexRange(arg) : 0;
  for (double &x : t.data)
    x = isInt ? static_cast<double>(rng.below(range)) : rng.normal();
  return t;
}

} // namespace mlc::oracle
