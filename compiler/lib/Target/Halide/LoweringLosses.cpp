//===- LoweringLosses.cpp - Losses, metrics, max_grad, optimizer updates --===//

#include "Lowering.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlc;
using namespace mlc::hl;
using Halide::Expr;
using Halide::Func;
using Halide::RDom;
using mlir::Value;


bool FunctionLowering::lowerLosses(mlir::Operation *op, const std::string &n) {
  // Cross-entropy pieces over logits [..., C] and labels [...]: the log-sum-exp
  // per position and the logit of the label.
  auto logSumExp = [&](const Tensor &z, const std::vector<Expr> &pos,
                       const std::vector<int64_t> &spos) {
    RDom c(0, z.shape.back(), n + "_c");
    Tensor mx = define(n + "_max", pos, spos, z.type,
                       [&](const Index &i) { return Halide::maximum(z(with(i, c))); });
    return define(n + "_lse", pos, spos, z.type, [&](const Index &i) {
      return mx(i) + Halide::log(Halide::sum(Halide::exp(z(with(i, c)) - mx(i))));
    });
  };
  auto label = [&](const Tensor &y, const Tensor &z, const Index &i) {
    return Halide::clamp(Halide::cast<int32_t>(y(i)), 0, z.shape.back() - 1);
  };

  return llvm::TypeSwitch<mlir::Operation *, bool>(op)
      .Case([&](MseLossOp o) -> bool {
        const Tensor &a = get(o.getInput()), &b = get(o.getTarget());
        RDom r = rdom(a.shape, n + "_r");
        bind(o, define(o, n, [&](const Index &) {
               Expr d = a(coords(r, a.rank())) - b(coords(r, a.rank()));
               return Halide::sum(d * d) / Halide::cast<float>(product(a.shape));
             }));
        return true;
      })
      .Case([&](CrossEntropyOp o) -> bool {
        const Tensor &z = get(o.getLogits()), &y = get(o.getLabels());
        Tensor lse = logSumExp(z, y.shape, y.staticShape);
        RDom r = rdom(y.shape, n + "_r");
        bind(o, define(o, n, [&](const Index &) {
               Index at = coords(r, y.rank());
               Expr nll = lse(at) - z(with(at, label(y, z, at)));
               return Halide::sum(nll) / Halide::cast<float>(product(y.shape));
             }));
        return true;
      })
      .Case([&](CrossEntropyGradOp o) -> bool {
        const Tensor &z = get(o.getLogits()), &y = get(o.getLabels()), &g = get(o.getGrad());
        Tensor lse = logSumExp(z, y.shape, y.staticShape);
        Expr scale = g({}) / Halide::cast<float>(product(y.shape));
        bind(o, define(o, n, [&](const Index &i) {
               Index p(i.begin(), i.end() - 1);
               Expr onehot = Halide::select(i.back() == label(y, z, p), 1.0f, 0.0f);
               return (Halide::exp(z(i) - lse(p)) - onehot) * scale;
             }));
        return true;
      })
      .Case([&](AccuracyOp o) -> bool {
        const Tensor &z = get(o.getLogits()), &y = get(o.getLabels());
        RDom c(0, z.shape.back(), n + "_c");
        // argmax keeps the first maximum: ties resolve to the lowest class.
        Tensor am = define(n + "_argmax", y.shape, y.staticShape, Halide::Int(32),
                           [&](const Index &i) { return Halide::argmax(z(with(i, c)))[0]; });
        RDom r = rdom(y.shape, n + "_r");
        bind(o, define(o, n, [&](const Index &) {
               Index at = coords(r, y.rank());
               Expr hit = Halide::select(am(at) == Halide::cast<int32_t>(y(at)), 1.0f, 0.0f);
               return Halide::sum(hit) / Halide::cast<float>(product(y.shape));
             }));
        return true;
      })
      .Case([&](MaxGradOp o) -> bool {
        const Tensor &x = get(o.getInput()), &g = get(o.getGrad());
        llvm::ArrayRef<int64_t> axes = o.getAxes();
        bool keep = o.getKeepdim();
        std::vector<Expr> ext;
        for (int64_t a : axes)
          ext.push_back(x.shape[a]);
        RDom r = rdom(ext, n + "_r");
        // Per group (the input index with the reduced axes ignored): the
        // row-major first position of the maximum.
        Tensor arg = define(n + "_argmax", x.shape, x.staticShape, Halide::Int(32),
                            [&](const Index &i) {
                              Index j = i;
                              Index rc = coords(r, axes.size());
                              for (size_t q = 0; q < axes.size(); ++q)
                                j[axes[q]] = rc[q];
                              Halide::Tuple t = Halide::argmax(x(j));
                              // Linearise the reduced coordinates (RDom dims are reversed).
                              Expr lin = Expr(int32_t(0));
                              for (size_t q = 0; q < axes.size(); ++q)
                                lin = lin * ext[q] + t[axes.size() - 1 - q];
                              return lin;
                            });
        bind(o, define(o, n, [&](const Index &i) {
               Index group = i, gi;
               Expr lin = Expr(int32_t(0));
               for (size_t q = 0; q < axes.size(); ++q) {
                 lin = lin * ext[q] + i[axes[q]];
                 group[axes[q]] = 0;
               }
               for (size_t q = 0; q < i.size(); ++q)
                 if (!llvm::is_contained(axes, int64_t(q)))
                   gi.push_back(i[q]);
                 else if (keep)
                   gi.push_back(0);
               return Halide::select(arg(group) == lin, g(gi), 0.0f);
             }));
        return true;
      })
      .Case([&](SgdUpdateOp o) -> bool {
        Tensor p = get(o.getParam()), g = get(o.getGrad());
        Tensor buf = o.getMomentumBuffer() ? get(o.getMomentumBuffer()) : Tensor();
        // Elementwise over buffers: one compiled kernel serves every
        // parameter of the rank (freeExtents).
        if (o.getMomentumBuffer())
          freeExtents({&p, &g, &buf}, op);
        else
          freeExtents({&p, &g}, op);
        float lr = o.getLr().convertToDouble(), mom = o.getMomentum().convertToDouble(),
              wd = o.getWeightDecay().convertToDouble();
        auto grad = [&](const Index &i) { return wd != 0 ? g(i) + wd * p(i) : g(i); };
        if (!o.getMomentumBuffer()) {
          bind(o.getNewParam(), define(o.getNewParam(), n + "_param",
                                       [&](const Index &i) { return p(i) - lr * grad(i); }));
          return true;
        }
        auto newBuf = [&](const Index &i) { return mom * buf(i) + grad(i); };
        bind(o.getNewMomentumBuffer(), define(o.getNewMomentumBuffer(), n + "_buf", newBuf));
        bind(o.getNewParam(), define(o.getNewParam(), n + "_param",
                                     [&](const Index &i) { return p(i) - lr * newBuf(i); }));
        return true;
      })
      .Case([&](AdamUpdateOp o) -> bool {
        Tensor p = get(o.getParam()), g = get(o.getGrad()), m = get(o.getExpAvg()),
               v = get(o.getExpAvgSq());
        const Tensor &step = get(o.getStep());
        // Elementwise over buffers: one compiled kernel serves every
        // parameter of the rank (seed autoencoder: 32 Adam kernels of
        // ~150 ms compile each -> 2).
        freeExtents({&p, &g, &m, &v}, op);
        double lr = o.getLr().convertToDouble(), b1 = o.getBeta1().convertToDouble(),
               b2 = o.getBeta2().convertToDouble(), wd = o.getWeightDecay().convertToDouble();
        float eps = o.getEps().convertToDouble();
        bool decoupled = o.getDecoupled();
        // Scalars in double, as PyTorch computes them in Python floats.
        // Each is a 0-d Func, computed once per call: as expressions they
        // were two pow() and a sqrt() in double per vector of the loop
        // (Halide does not hoist them and LLVM's loop passes are off).
        Expr t = Halide::cast<double>(step({}));
        Expr one = Expr(1.0);
        auto scalar = [&](const std::string &name, Expr value) {
          return define(n + name, {}, {}, Halide::Float(32), [&](const Index &) {
                   return Halide::cast<float>(value);
                 }).func;
        };
        Halide::Func stepSizeF = scalar("_step_size", Expr(lr) / (one - Halide::pow(Expr(b1), t)));
        // PyTorch divides sqrt(v') by sqrt(1 - b2^t); here it is multiplied
        // by the reciprocal (within an ulp): one division per element, not
        // two. The AE's [256, 1000] update alone: 405 -> 305 us with cold
        // caches (the divider, shared with sqrt, was busier than memory).
        Halide::Func bc2RsqrtF =
            scalar("_bc2_rsqrt", one / Halide::sqrt(one - Halide::pow(Expr(b2), t)));
        Expr stepSize = stepSizeF(), bc2Rsqrt = bc2RsqrtF();
        auto param = [&](const Index &i) {
          return decoupled && wd != 0 ? p(i) * f32(1.0 - lr * wd) : p(i);
        };
        auto grad = [&](const Index &i) {
          return !decoupled && wd != 0 ? g(i) + f32(wd) * p(i) : g(i);
        };
        // Three independent definitions (the parameter's recomputes m' and
        // v' rather than reading them) so the schedule can compute all
        // three in one loop over the parameter.
        auto newM = [&](const Index &i) { return f32(b1) * m(i) + f32(1 - b1) * grad(i); };
        auto newV = [&](const Index &i) {
          Expr gi = grad(i);
          return f32(b2) * v(i) + f32(1 - b2) * gi * gi;
        };
        bind(o.getNewExpAvg(), define(o.getNewExpAvg(), n + "_m", newM));
        bind(o.getNewExpAvgSq(), define(o.getNewExpAvgSq(), n + "_v", newV));
        bind(o.getNewParam(), define(o.getNewParam(), n + "_param", [&](const Index &i) {
               Expr denom = Halide::sqrt(newV(i)) * bc2Rsqrt + eps;
               return param(i) - stepSize * newM(i) / denom;
             }));
        return true;
      })
      .Default([&](mlir::Operation *) {
        op->emitError() << "cannot generate Halide code for '" << op->getName() << "'";
        return false;
      });
}
