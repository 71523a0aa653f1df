//===- GradCheck.cpp - mlc-oracle gradcheck -------------------------------===//
//
// Checks the gradients that @gradients returns against central finite
// differences (L(p + h) - L(p - h)) / 2h of @loss's first result, both
// evaluated by the oracle in double precision at a seeded random point.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"
#include "Inputs.h"
#include "Kernels.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <set>

using namespace mlir;

namespace mlc::oracle {

namespace {

/// The two functions at one point: data arguments and parameter values.
struct Point {
  func::FuncOp loss, gradients;
  std::vector<Tensor> args;
  ParamMap params;
};

/// The error statistics of one parameter.
struct Errors {
  int64_t samples = 0;
  double maxAbs = 0;
  double maxRel = 0; // over samples where |g| or |fd| exceeds atol
  bool ok = true;
};

} // namespace

static FailureOr<double> lossAt(const Point &pt, const ParamMap &params) {
  func::FuncOp loss = pt.loss; // the op accessors are not const
  auto results = evaluate(loss, pt.args, params);
  if (failed(results))
    return failure();
  if (results->empty() || !(*results)[0].shape.empty())
    return loss.emitError("the first result of @loss must be the 0-d loss");
  return (*results)[0].data[0];
}

/// `k` distinct element indices of a tensor of `n` elements, in increasing
/// order: all of them when n <= k.
static std::vector<int64_t> pickSamples(int64_t n, int64_t k, Rng &rng) {
  std::set<int64_t> picked;
  if (n <= k)
    for (int64_t i = 0; i < n; ++i)
      picked.insert(i);
  while (static_cast<int64_t>(picked.size()) < std::min(n, k))
    picked.insert(rng.below(n));
  return {picked.begin(), picked.end()};
}

/// "[i, j]": the multi-index of flat element `flat` of `shape`.
static std::string indexString(ArrayRef<int64_t> shape, int64_t flat) {
  std::vector<int64_t> index, strides = stridesOf(shape);
  for (int64_t stride : strides) {
    index.push_back(flat / stride);
    flat %= stride;
  }
  return shapeToString(index);
}

/// Compares `grad` (the parameter's gradient, or zeros when @gradients has
/// none) with finite differences at sampled elements of parameter `name`.
static FailureOr<Errors> checkParam(Point &pt, const std::string &name, const Tensor &grad,
                                    const GradCheckOptions &o, Rng &rng) {
  Errors e;
  for (int64_t i : pickSamples(grad.size(), o.samples, rng)) {
    double &p = pt.params[name].data[i], p0 = p;
    p = p0 + o.step;
    FailureOr<double> plus = lossAt(pt, pt.params);
    p = p0 - o.step;
    FailureOr<double> minus = lossAt(pt, pt.params);
    p = p0;
    if (failed(plus) || failed(minus))
      return failure();
    double fd = (*plus - *minus) / (2 * o.step), g = grad.data[i];
    double abs = std::fabs(g - fd), scale = std::max(std::fabs(g), std::fabs(fd));
    bool ok = abs <= o.atol + o.rtol * scale;
    if (!ok)
      llvm::outs() << llvm::format("  %s%s: gradient %.9g, finite difference %.9g\n", name.c_str(),
                                   indexString(grad.shape, i).c_str(), g, fd);
    e.samples++;
    e.maxAbs = std::max(e.maxAbs, abs);
    if (scale > o.atol) // both within atol of 0: no meaningful relative error
      e.maxRel = std::max(e.maxRel, abs / scale);
    e.ok &= ok;
  }
  return e;
}

static bool close(double a, double b, const GradCheckOptions &o) {
  return std::fabs(a - b) <= o.atol + o.rtol * std::max(std::fabs(a), std::fabs(b));
}

LogicalResult gradCheck(ModuleOp module, const GradCheckOptions &o) {
  Point pt;
  pt.loss = module.lookupSymbol<func::FuncOp>("loss");
  pt.gradients = module.lookupSymbol<func::FuncOp>("gradients");
  if (!pt.loss || !pt.gradients)
    return module.emitError("gradcheck needs 'func.func @loss' and 'func.func @gradients'");
  if (failed(verifyTensorArgs(pt.loss)))
    return failure();
  if (pt.loss.getArgumentTypes() != pt.gradients.getArgumentTypes())
    return pt.gradients.emitError("@gradients must take the arguments of @loss");

  Rng rng(o.seed);
  pt.params =
      initParams(module, rng, o.scaledParams ? ParamInit::UniformScaled : ParamInit::Uniform1);
  for (BlockArgument arg : pt.loss.getArguments())
    pt.args.push_back(randomArg(arg, o.batch, rng));

  auto results = evaluate(pt.gradients, pt.args, pt.params);
  FailureOr<double> loss = lossAt(pt, pt.params);
  if (failed(results) || failed(loss))
    return failure();
  if (results->empty() || (*results)[0].size() != 1)
    return pt.gradients.emitError("the first result of @gradients must be the 0-d loss");
  if (!close((*results)[0].data[0], *loss, o))
    return pt.gradients.emitError() << "the loss of @gradients, " << (*results)[0].data[0]
                                    << ", differs from the loss of @loss, " << *loss;

  // The gradient of every parameter that has one; a parameter that @loss
  // reads, is not frozen and has no gradient is checked against zero.
  struct Grad {
    std::string name;
    Tensor value;
    bool missing; // no result of @gradients: checked against zero
  };
  std::vector<Grad> grads;
  std::set<std::string> seen;
  for (unsigned i = 0; i < pt.gradients.getNumResults(); ++i) {
    auto attr = pt.gradients.getResultAttrOfType<StringAttr>(i, "mlc.grad");
    if (!attr)
      continue;
    std::string name = attr.str();
    auto it = pt.params.find(name);
    if (it == pt.params.end())
      return pt.gradients.emitError()
             << "result #" << i << " is the gradient of '" << name << "', which is no 'mlc.param'";
    if ((*results)[i].shape != it->second.shape)
      return pt.gradients.emitError()
             << "result #" << i << " has shape " << shapeToString((*results)[i].shape)
             << ", the parameter '" << name << "' " << shapeToString(it->second.shape);
    if (!seen.insert(name).second)
      return pt.gradients.emitError() << "two gradients of '" << name << "'";
    grads.push_back({name, (*results)[i], false});
  }
  pt.loss.walk([&](ParamRefOp ref) {
    std::string name = ref.getParam().str();
    auto param = module.lookupSymbol<ParamOp>(ref.getParam());
    if (param && !param.getFrozen() && seen.insert(name).second)
      grads.push_back({name, Tensor(pt.params[name].shape, 0.0), true});
  });

  llvm::outs() << llvm::format("loss %.9g at N = %lld, seed %llu\n", *loss,
                               static_cast<long long>(o.batch),
                               static_cast<unsigned long long>(o.seed));
  bool pass = true;
  int64_t samples = 0;
  double maxRel = 0;
  for (const Grad &g : grads) {
    FailureOr<Errors> e = checkParam(pt, g.name, g.value, o, rng);
    if (failed(e))
      return failure();
    llvm::outs() << llvm::format(
        "%s%s: %lld samples, max abs error %.3g, max rel error %.3g: %s\n", g.name.c_str(),
        g.missing ? " (no gradient: checked against 0)" : "", static_cast<long long>(e->samples),
        e->maxAbs, e->maxRel, e->ok ? "OK" : "FAIL");
    pass &= e->ok;
    samples += e->samples;
    maxRel = std::max(maxRel, e->maxRel);
  }
  // (L(p + h) - L(p - h)) / 2h carries a rounding error of at least
  // eps * |L| / h, which a large loss makes larger than the tolerance.
  double noise = std::fabs(*loss) * 0x1.0p-52 / o.step;
  if (!pass && noise > o.atol)
    llvm::outs() << llvm::format("note: the finite differences carry a rounding error of "
                                 "about %.3g at this loss; --scaled-params or a larger "
                                 "--step may help\n",
                                 noise);
  llvm::outs() << llvm::format("gradcheck: %zu parameters, %lld samples, max rel error %.3g: %s\n",
                               grads.size(), static_cast<long long>(samples), maxRel,
                               static_cast<const char *>(pass ? "PASS" : "FAIL"));
  return success(pass);
}

} // namespace mlc::oracle
