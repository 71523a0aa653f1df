//===- LoweringGemm.cpp - Matrix products as schedulable Funcs ------------===//
//
// THE ALGORITHM of every contraction (linear, matmul, the weight gradient):
//   packed(p, k, lead...) = B[lead..., k, p]   (no lead dims if B has none)
//   acc(p, m, lead...)   += A[lead..., m, k] * packed(p, k, lead...)
//   out(p, m, lead...)    = epilogue(acc(p, m, lead...))
// `packed` copies B into p-contiguous strips (a transpose for a Linear
// weight, stored [out, in]); the schedule decides where (ScheduleCPU.cpp).
// A B shared by every lead index is packed once, at root, so its layout is
// the algorithm's: panels of kPanelColumns columns, one after the other,
//   packed(pi, k..., po) = B[k..., po * kPanelColumns + pi],
// each register block's strip contiguous (see Gemm::panels).
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

using namespace mlc::hl;
using Halide::Expr;

Tensor FunctionLowering::gemm(mlir::Value result, const std::string &n,
                              const std::vector<Expr> &K, const Operand &a, const OperandB &b,
                              const std::function<Expr(Expr, const Index &)> &epilogue) {
  std::vector<Expr> shape = shapeOf(result);
  auto type = mlir::cast<mlir::RankedTensorType>(result.getType());
  std::vector<int64_t> staticShape(type.getShape());
  size_t r = shape.size(), nk = K.size();
  auto lead = [&](const Index &i) { return Index(i.begin(), i.end() - 2); };

  Gemm g;
  Halide::RDom k = rdom(K, n + "_k");
  for (int q = 0; q < k.dimensions(); ++q) // innermost first
    g.k.push_back(Halide::RVar(k[q]));
  // packed[lead..., k..., p], or packed[k..., p] when B is the same for
  // every lead index (a Linear's weight in a product over [N, T] rows):
  // then one packed copy serves all of them.
  size_t nlead = r - 2;
  Index probe;
  for (size_t q = 0; q < nlead; ++q)
    probe.push_back(Halide::Var(n + "_lead" + std::to_string(q)));
  Expr probed = b(probe, Index(nk, Expr(0)), Expr(0));
  bool perLead = false;
  for (const Expr &v : probe)
    perLead = perLead || Halide::Internal::expr_uses_var(
                             probed, v.as<Halide::Internal::Variable>()->name);
  int64_t P = staticShape[r - 1];
  // Panels for the manual CPU schedule's shared B (packed at root by
  // packShared) over whole panels. Stored [k, p], a strip's k steps were
  // rows of B apart, 2 KiB for 512 columns: a power of two that maps them
  // to a few L1 sets. [32, 64, 128] x [128, 512] and [32, 64, 512] x [512,
  // 128], the FFN's (JIT, medians of 80 interleaved calls, 2 threads):
  // 2.57-2.68 -> 2.28-2.31 ms; rows padded to 528 floats instead:
  // 2.47-2.53 ms.
  bool wholePanels = manualCPU_ && !perLead && P > 0 && P % kPanelColumns == 0;
  // A frozen weight is the same at every step: packed by a kernel of its
  // own whose output the runtime keeps (KernelSpec::invariant), so the
  // product reads ready panels. The frozen fine-tune's first layer packed
  // [256, 1000] for each of its column strips at every step: 15 % of that
  // kernel's samples (`perf annotate`), ~50 us of a 0.39 ms step.
  bool staticK = llvm::all_of(K, [](const Expr &e) { return Halide::Internal::is_const(e); });
  bool prepack = wholePanels && staticK && readsOnlyFrozen(probed);
  bool panels = wholePanels && (nlead > 0 || prepack);
  size_t packedLead = perLead ? nlead : 0;
  std::vector<Expr> packedShape(shape.begin(), shape.begin() + packedLead);
  std::vector<int64_t> packedStatic(staticShape.begin(), staticShape.begin() + packedLead);
  for (const Expr &e : K) {
    packedShape.push_back(e);
    packedStatic.push_back(mlir::ShapedType::kDynamic);
  }
  if (panels) { // [po, k..., pi]
    packedShape.insert(packedShape.begin(), Expr(int(P / kPanelColumns)));
    packedStatic.insert(packedStatic.begin(), P / kPanelColumns);
    packedShape.push_back(Expr(kPanelColumns));
    packedStatic.push_back(kPanelColumns);
  } else {
    packedShape.push_back(shape.back());
    packedStatic.push_back(staticShape.back());
  }
  // A narrow product's column is clamped so that a schedule may compute
  // whole vectors past the last column (their results are never stored).
  // Not a wide one's: a clamped index turns the packing's vector loads into
  // gathers.
  // On a GPU every index is clamped: a thread block computes whole tiles
  // (ScheduleGPU.cpp) and stages whole k chunks of B.
  Tensor packed = define(n + "_packed", packedShape, packedStatic, Halide::Float(32),
                    [&](const Index &i) {
                      if (panels)
                        return b(probe, Index(i.begin() + 1, i.end() - 1),
                                 i.front() * kPanelColumns + i.back());
                      Expr col = (P > 0 && P < 16) || gpu_
                                     ? Halide::clamp(i.back(), 0, shape.back() - 1)
                                     : i.back();
                      Index ki(i.end() - 1 - nk, i.end() - 1);
                      if (gpu_)
                        ki.back() = Halide::clamp(ki.back(), 0, K.back() - 1);
                      return b(perLead ? Index(i.begin(), i.end() - 1 - nk) : probe, ki, col);
                    });
  g.packed = packed.func;
  if (prepack) {
    for (size_t q = 1; q + 1 < packedStatic.size(); ++q)
      packed.staticShape[q] = *Halide::Internal::as_const_int(packedShape[q]);
    Halide::ImageParam ready = materializeInvariant(packed);
    g.packed = define(n + "_panels", packedShape, packed.staticShape, Halide::Float(32),
                      [&](const Index &i) {
                        return Halide::Internal::Call::make(
                            ready.parameter(), std::vector<Expr>(i.rbegin(), i.rend()));
                      })
                   .func;
    g.prepacked = true;
  }
  Tensor acc = define(n + "_acc", shape, staticShape, Halide::Float(32),
                      [&](const Index &) { return f32(0); });
  // The update, at the same pure vars with the row-major index rebuilt.
  std::vector<Halide::Var> vars = acc.func.args();
  Index i(r);
  for (size_t q = 0; q < r; ++q)
    i[q] = vars[r - 1 - q];
  Index kc = coords(k, nk);
  Index at = perLead ? lead(i) : Index();
  if (panels)
    at.push_back(i[r - 1] / kPanelColumns);
  at.insert(at.end(), kc.begin(), kc.end());
  at.push_back(panels ? i[r - 1] % kPanelColumns : i[r - 1]);
  std::vector<Expr> packedArgs(at.rbegin(), at.rend());
  Expr row = gpu_ ? Halide::clamp(i[r - 2], 0, shape[r - 2] - 1) : i[r - 2];
  acc.func(std::vector<Expr>(vars.begin(), vars.end())) +=
      a(lead(i), row, kc) * g.packed(packedArgs);
  g.acc = acc.func;
  g.panels = panels;
  g.P = staticShape[r - 1];
  g.M = staticShape[r - 2];
  if (const int64_t *k0 = Halide::Internal::as_const_int(K.back()))
    g.K0 = *k0;
  Tensor out = define(result, n, [&](const Index &i) { return epilogue(acc(i), i); });
  out_->gemms[out.func.name()] = g;
  return out;
}
