//===- LoweringNN.cpp - Reductions, layers, losses, gradients, updates ----===//
//
// THE ALGORITHM, continued. Composite ops are written as a few named Funcs
// (e.g. softmax: row max, exp, row sum, divide) so the schedule can place
// each; the formulas are the ones in the op descriptions (MLCOps.td,
// MLCTrainOps.td).
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <limits>

using namespace mlc;
using namespace mlc::hl;
using Halide::Expr;
using Halide::Func;
using Halide::RDom;
using mlir::Value;


bool FunctionLowering::lowerReduction(Value result, Value input, llvm::ArrayRef<int64_t> axes,
                                      bool keepdim, int kind, const std::string &n) {
  Tensor x = get(input);
  // A reduction of a buffer over leading dims (a bias's gradient, a sum
  // over the batch) is compiled once for every shape; one along the last dim
  // keeps its static extents for its vector partial sums (splitRowReduction,
  // splitTotalReduction).
  if (!llvm::is_contained(axes, int64_t(x.rank()) - 1))
    freeExtents({&x}, result.getDefiningOp());
  std::vector<Expr> ext;
  for (int64_t a : axes)
    ext.push_back(x.shape[a]);
  RDom r = rdom(ext, n + "_r");
  Halide::Internal::Function helper; // the inline reduction's
  Tensor t = define(result, n, [&](const Index &i) {
         // Input index: reduced axes from r, the others from i.
         Index j, rc = coords(r, axes.size());
         size_t pos = 0, red = 0;
         for (size_t q = 0; q < x.rank(); ++q) {
           if (llvm::is_contained(axes, int64_t(q))) {
             j.push_back(rc[red++]);
             if (keepdim)
               ++pos;
           } else {
             j.push_back(i[pos++]);
           }
         }
         Expr s = kind == 2 ? Halide::maximum(r, x(j), n + "_max")
                            : Halide::sum(r, x(j), n + "_sum");
         if (const auto *call = s.as<Halide::Internal::Call>(); call && call->func.defined())
           helper = Halide::Internal::Function(call->func);
         return kind == 1 ? s / Halide::cast<float>(product(ext)) : s;
       });
  // The inline reduction's Func has the result's dims unless keepdim
  // dropped one; then its schedule knows its extents too (ScheduleGPU).
  std::vector<std::string> resultArgs;
  for (const Halide::Var &v : t.func.args())
    resultArgs.push_back(v.name());
  if (helper.get_contents().defined() && helper.args() == resultArgs)
    out_->shapes[helper.name()] = t.shape;
  bind(result, t);
  return true;
}

bool FunctionLowering::lowerNN(mlir::Operation *op, const std::string &n) {
  // Index helpers for ops over [..., last]: `pos` = the leading index.
  auto lead = [](const Index &i) { return Index(i.begin(), i.end() - 1); };
  // `i` with coordinate `axis` replaced.
  auto replaced = [](Index i, int64_t axis, Expr v) {
    i[axis] = v;
    return i;
  };
  // A per-row reduction: x's shape with `axis` kept as extent 1, so it is
  // computed once per row; `value(i, r)` is the row element at r.
  // Explicit updates rather than Halide's inline sum/maximum, whose helper
  // Funcs could not be placed inside the row loop.
  auto rowReduce = [&](const Tensor &x, int64_t axis, const std::string &name, Expr init,
                       const std::function<Expr(Expr, Expr)> &combine,
                       const std::function<Expr(const Index &)> &value) {
    std::vector<Expr> shape = x.shape;
    std::vector<int64_t> staticShape = x.staticShape;
    shape[axis] = Expr(int32_t(1));
    staticShape[axis] = 1;
    Tensor t = define(name, shape, staticShape, x.type, [&](const Index &) { return init; });
    std::vector<Halide::Var> vars = t.func.args();
    Index i(vars.rbegin(), vars.rend());
    t.func(std::vector<Expr>(vars.begin(), vars.end())) = combine(t(i), value(i));
    return t;
  };
  auto max = [](Expr a, Expr b) { return Halide::max(a, b); };
  auto add = [](Expr a, Expr b) { return a + b; };
  Expr minusInf = Expr(-std::numeric_limits<float>::infinity());
  // The row helpers of `owner` are computed inside its loop over rows.
  // By the owner's Func name: Halide makes the names of eval_step's and
  // predict's copies unique ("f0_layer_norm$1"), and by the name given to
  // define() their helpers were computed at root, a pass of their own.
  auto perRow = [&](const Halide::Func &owner, int64_t axis, size_t rank,
                    std::initializer_list<Tensor> helpers) {
    for (const Tensor &h : helpers)
      out_->rowOf[h.func.name()] = {owner.name(), int(rank - 1 - axis)};
  };

  return llvm::TypeSwitch<mlir::Operation *, bool>(op)
      .Case([&](SoftmaxOp o) -> bool {
        const Tensor &x = get(o.getInput());
        int64_t axis = o.getAxis();
        RDom r(0, x.shape[axis], n + "_r");
        Tensor mx = rowReduce(x, axis, n + "_max", minusInf, max,
                              [&](const Index &i) { return x(replaced(i, axis, r)); });
        Tensor e = define(n + "_exp", x.shape, x.staticShape, x.type, [&](const Index &i) {
          return Halide::exp(x(i) - mx(replaced(i, axis, 0)));
        });
        Tensor s = rowReduce(x, axis, n + "_den", f32(0), add,
                             [&](const Index &i) { return e(replaced(i, axis, r)); });
        // Times the row's reciprocal (hoisted out of the row's loop), as
        // PyTorch's softmax does: one division a row, not one an element.
        bind(o, define(o, n, [&](const Index &i) {
               return e(i) * (1.0f / s(replaced(i, axis, 0)));
             }));
        perRow(get(o).func, axis, x.rank(), {mx, e, s});
        return true;
      })
      .Case([&](SoftmaxGradOp o) -> bool {
        const Tensor &y = get(o.getSoftmax()), &dy = get(o.getGrad());
        int64_t axis = o.getAxis();
        RDom r(0, y.shape[axis], n + "_r");
        Tensor s = rowReduce(y, axis, n + "_dot", f32(0), add, [&](const Index &i) {
          Index at = replaced(i, axis, r);
          return dy(at) * y(at);
        });
        bind(o, define(o, n, [&](const Index &i) {
               return y(i) * (dy(i) - s(replaced(i, axis, 0)));
             }));
        perRow(get(o).func, axis, y.rank(), {s});
        return true;
      })
      .Case([&](LogSoftmaxOp o) -> bool {
        const Tensor &x = get(o.getInput());
        int64_t axis = o.getAxis();
        RDom r(0, x.shape[axis], n + "_r");
        Tensor mx = rowReduce(x, axis, n + "_max", minusInf, max,
                              [&](const Index &i) { return x(replaced(i, axis, r)); });
        Tensor se = rowReduce(x, axis, n + "_sumexp", f32(0), add, [&](const Index &i) {
          return Halide::exp(x(replaced(i, axis, r)) - mx(i));
        });
        bind(o, define(o, n, [&](const Index &i) {
               Index row = replaced(i, axis, 0);
               return x(i) - (mx(row) + Halide::log(se(row)));
             }));
        perRow(get(o).func, axis, x.rank(), {mx, se});
        return true;
      })
      .Case([&](LinearOp o) -> bool {
        const Tensor &x = get(o.getInput()), &w = get(o.getWeight());
        Tensor b;
        if (o.getBias())
          b = get(o.getBias());
        auto bias = [&](Expr acc, const Index &i) {
          return o.getBias() ? acc + b({i.back()}) : acc;
        };
        if (x.rank() >= 2) { // y[..., m, p] = sum_k x[..., m, k] w[p, k]
          bind(o, gemm(o, n, {x.shape.back()},
                       [&](const Index &lead, Expr m, const Index &k) {
                         return x(with(with(lead, m), k[0]));
                       },
                       [&](const Index &, const Index &k, Expr p) { return w({p, k[0]}); },
                       bias));
          return true;
        }
        RDom k(0, x.shape.back(), n + "_k");
        bind(o, define(o, n, [&](const Index &i) {
               return bias(Halide::sum(x({k}) * w({i.back(), k}), n + "_sum"), i);
             }));
        return true;
      })
      .Case([&](LinearWeightGradOp o) -> bool {
        const Tensor &g = get(o.getGrad()), &x = get(o.getInput());
        std::vector<Expr> positions(g.shape.begin(), g.shape.end() - 1);
        if (positions.empty()) { // an outer product
          bind(o, define(o, n, [&](const Index &i) { return g({i[0]}) * x({i[1]}); }));
          return true;
        }
        // dW[o, c] = sum over positions q of g[q, o] x[q, c], with one
        // reduction dim per position dim (no index arithmetic per k).
        // The row is clamped: a schedule may round the rows up to whole
        // register blocks (ScheduleCPU.cpp), never stored.
        Expr M = g.shape.back();
        Tensor rows = define(n + "_rows", g.shape, g.staticShape, Halide::Float(32),
                             [&](const Index &i) { return g(i); });
        Tensor dW = gemm(
            o, n, positions,
            [&](const Index &, Expr m, const Index &k) {
              return rows(with(k, Halide::clamp(m, 0, M - 1)));
            },
            [&](const Index &, const Index &k, Expr p) { return x(with(k, p)); },
            [](Expr acc, const Index &) { return acc; });
        out_->gemms[dW.func.name()].kAlongRows = true;
        out_->gemms[dW.func.name()].rows = rows.func;
        bind(o, dW);
        return true;
      })
      .Case([&](LayerNormOp o) -> bool {
        const Tensor &x = get(o.getInput()), &w = get(o.getWeight()), &b = get(o.getBias());
        float eps = o.getEps().convertToDouble();
        int64_t axis = x.rank() - 1;
        Expr D = x.shape.back(), fD = Halide::cast<float>(D);
        RDom r(0, D, n + "_r");
        Tensor sum = rowReduce(x, axis, n + "_sum", f32(0), add,
                               [&](const Index &i) { return x(replaced(i, axis, r)); });
        Tensor var = rowReduce(x, axis, n + "_var", f32(0), add, [&](const Index &i) {
          Expr d = x(replaced(i, axis, r)) - sum(i) / fD;
          return d * d;
        });
        bind(o, define(o, n, [&](const Index &i) {
               Index row = replaced(i, axis, 0);
               Expr rstd = 1.0f / Halide::sqrt(var(row) / fD + eps);
               return (x(i) - sum(row) / fD) * rstd * w({i.back()}) + b({i.back()});
             }));
        perRow(get(o).func, axis, x.rank(), {sum, var});
        return true;
      })
      .Case([&](LayerNormGradOp o) -> bool {
        const Tensor &x = get(o.getInput()), &w = get(o.getWeight()), &dy = get(o.getGrad());
        float eps = o.getEps().convertToDouble();
        int64_t axis = x.rank() - 1;
        Expr D = x.shape.back();
        Expr fD = Halide::cast<float>(D);
        RDom r(0, D, n + "_r");
        // A row's statistics once per row ([..., 1]): read by dx and by dw.
        Tensor sum = rowReduce(x, axis, n + "_sum", f32(0), add,
                               [&](const Index &i) { return x(replaced(i, axis, r)); });
        Tensor var = rowReduce(x, axis, n + "_var", f32(0), add, [&](const Index &i) {
          Expr d = x(replaced(i, axis, r)) - sum(i) / fD;
          return d * d;
        });
        // (mean, rstd) of every row at root, read by dx and by dw; the sum
        // and the variance computed in its loop over rows, so x is read
        // from memory once for both (each at root: a pass each).
        Halide::Func stats(n + "_stats");
        std::vector<Halide::Var> sv = sum.func.args();
        stats(sv) = Halide::Tuple(sum.func(sv) / fD, 1.0f / Halide::sqrt(var.func(sv) / fD + eps));
        out_->funcs.push_back(stats);
        out_->shapes[stats.name()] = sum.shape;
        perRow(stats, axis, x.rank(), {sum, var});
        auto stat = [&](const Index &row, int k) {
          return stats(std::vector<Expr>(row.rbegin(), row.rend()))[k];
        };
        auto mean = [&](const Index &row) { return stat(row, 0); };
        auto rstd = [&](const Index &row) { return stat(row, 1); };
        // Elementwise terms, recomputed where read (no tensor-sized temps).
        auto xhat = [&](const Index &i) {
          Index row = replaced(i, axis, 0);
          return (x(i) - mean(row)) * rstd(row);
        };
        auto gw = [&](const Index &i) { return dy(i) * w({i.back()}); };
        // The two row sums of dx, computed inside dx's loop over rows.
        Tensor mg = rowReduce(x, axis, n + "_mg", f32(0), add,
                              [&](const Index &i) { return gw(replaced(i, axis, r)); });
        Tensor mgx = rowReduce(x, axis, n + "_mgx", f32(0), add, [&](const Index &i) {
          Index at = replaced(i, axis, r);
          return gw(at) * xhat(at);
        });
        bind(o.getInputGrad(), define(o.getInputGrad(), n + "_dx", [&](const Index &i) {
               Index row = replaced(i, axis, 0);
               return rstd(row) * (gw(i) - mg(row) / fD - xhat(i) * (mgx(row) / fD));
             }));
        perRow(get(o.getInputGrad()).func, axis, x.rank(), {mg, mgx});
        // dw and db in one pass over the rows, a Tuple reduction: as two
        // sums they read dy twice. With the statistics' single pass, the
        // attention block's two layer norm backward kernels went from ~1070
        // to ~930 us together (medians of 10 alternating runs).
        std::vector<Expr> rows(x.shape.begin(), x.shape.end() - 1);
        RDom pr = rdom(rows, n + "_p");
        auto rowAt = [&](Expr last) { return with(coords(pr, rows.size()), last); };
        Halide::Func sums(n + "_dwdb");
        Halide::Var c("d0");
        sums(c) = Halide::Tuple(f32(0), f32(0));
        Expr g = dy(rowAt(c));
        sums(c) = Halide::Tuple(sums(c)[0] + g * xhat(rowAt(c)), sums(c)[1] + g);
        out_->funcs.push_back(sums);
        out_->shapes[sums.name()] = {D};
        bind(o.getWeightGrad(), define(o.getWeightGrad(), n + "_dw",
                                       [&](const Index &i) { return sums(i[0])[0]; }));
        bind(o.getBiasGrad(), define(o.getBiasGrad(), n + "_db",
                                     [&](const Index &i) { return sums(i[0])[1]; }));
        return true;
      })
      .Case([&](EmbeddingOp o) -> bool {
        const Tensor &w = get(o.getWeight()), &ids = get(o.getIndices());
        Expr V = w.shape[0];
        bind(o, define(o, n, [&](const Index &i) {
               // Out-of-range ids are clamped; the runtime validates them first.
               Expr id = Halide::clamp(Halide::cast<int32_t>(ids(lead(i))), 0, V - 1);
               return w({id, i.back()});
             }));
        return true;
      })
      .Case([&](EmbeddingGradOp o) -> bool {
        const Tensor &ids = get(o.getIndices()), &g = get(o.getGrad());
        RDom p = rdom(ids.shape, n + "_p");
        Tensor t = define(o, n, [&](const Index &) { return f32(0); });
        Index at = coords(p, ids.rank());
        Expr V = Expr(int32_t(t.staticShape[0]));
        Halide::Var d("d0");
        Expr id = Halide::clamp(Halide::cast<int32_t>(ids(at)), 0, V - 1);
        t.func(d, id) += g(with(at, d)); // scatter-add
        bind(o, t);
        return true;
      })
      .Case([&](CausalMaskOp o) -> bool {
        const Tensor &x = get(o.getInput());
        bind(o, define(o, n, [&](const Index &i) {
               size_t r = i.size();
               return Halide::select(i[r - 1] > i[r - 2],
                                     Expr(-std::numeric_limits<float>::infinity()), x(i));
             }));
        return true;
      })
      .Case([&](CausalMaskGradOp o) -> bool {
        const Tensor &g = get(o.getInput());
        bind(o, define(o, n, [&](const Index &i) {
               size_t r = i.size();
               return Halide::select(i[r - 1] > i[r - 2], f32(0), g(i));
             }));
        return true;
      })
      .Default([&](mlir::Operation *) { return lowerLosses(op, n); });
}
