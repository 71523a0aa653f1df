//===- LoweringGemm.cpp - Matrix products as schedulable Funcs ------------===//
//
// THE ALGORITHM of every contraction (linear, matmul, the weight gradient):
//   packed(p, k, lead...) = B[lead..., k, p]
//   acc(p, m, lead...)   += A[lead..., m, k] * packed(p, k, lead...)
//   out(p, m, lead...)    = epilogue(acc(p, m, lead...))
// `packed` copies B into p-contiguous strips (a transpose for a Linear
// weight, stored [out, in]); the schedule decides where (ScheduleCPU.cpp).
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

using namespace mlc::hl;
using Halide::Expr;

Tensor FunctionLowering::gemm(mlir::Value result, const std::string &n, Expr K,
                              const Operand &a, const Operand &b, bool packTransposes,
                              const std::function<Expr(Expr, const Index &)> &epilogue) {
  std::vector<Expr> shape = shapeOf(result);
  auto type = mlir::cast<mlir::RankedTensorType>(result.getType());
  std::vector<int64_t> staticShape(type.getShape());
  size_t r = shape.size();
  auto lead = [&](const Index &i) { return Index(i.begin(), i.end() - 2); };

  Gemm g;
  g.k = Halide::RDom(0, K, n + "_k");
  std::vector<Expr> packedShape = shape;
  std::vector<int64_t> packedStatic = staticShape;
  packedShape[r - 2] = K;
  packedStatic[r - 2] = mlir::ShapedType::kDynamic;
  // The column is clamped so that a schedule may compute whole vectors past
  // the last column (their results are never stored).
  int64_t P = staticShape[r - 1];
  g.packed = define(n + "_packed", packedShape, packedStatic, Halide::Float(32),
                    [&](const Index &i) {
                      Expr col = P > 0 ? Halide::clamp(i[r - 1], 0, int32_t(P - 1)) : i[r - 1];
                      return b(lead(i), i[r - 2], col);
                    })
                 .func;
  Tensor acc = define(n + "_acc", shape, staticShape, Halide::Float(32),
                      [&](const Index &) { return f32(0); });
  // The update, at the same pure vars with the row-major index rebuilt.
  std::vector<Halide::Var> vars = acc.func.args();
  Index i(r);
  for (size_t q = 0; q < r; ++q)
    i[q] = vars[r - 1 - q];
  Index at = i;
  at[r - 2] = g.k;
  std::vector<Expr> packedArgs(at.rbegin(), at.rend());
  acc.func(std::vector<Expr>(vars.begin(), vars.end())) +=
      a(lead(i), i[r - 2], g.k) * g.packed(packedArgs);
  g.acc = acc.func;
  g.P = staticShape[r - 1];
  g.M = staticShape[r - 2];
  g.packTransposes = packTransposes;
  Tensor out = define(result, n, [&](const Index &i) { return epilogue(acc(i), i); });
  out_->gemms[out.func.name()] = g;
  return out;
}
