//===- ScheduleGPU.cpp - THE SCHEDULE for GPU targets (CUDA, OpenCL) ------===//
//
// Every stage of every kernel runs on the device, so parameters, gradients,
// optimizer state and activations stay there between kernels and steps
// (the runtime keeps each buffer's device allocation for the whole run).
// Per op class, as the schedule pass labels it (`mlc.gpu`):
// - "gemm": a block computes a 16x16 tile of the product, one output per
//   thread; the tile's accumulators live in shared memory and the k loop
//   walks 16-wide chunks, each chunk of B staged in shared memory by the
//   whole block before its threads use it (B is the operand every row of
//   the tile reads). Lowering clamps every operand index on GPU targets, so
//   tiles past the edges read valid memory; their results are never stored.
// - "rows" (softmax, log_softmax, layer_norm and their gradients): one
//   thread per row; the row statistics are computed by that thread, inside
//   its row, before the row is written.
// - everything else ("elementwise", "reduce", "scalar"): 2-D thread blocks
//   (16x16) over the two innermost dims, the outer dims fused into a third
//   block dim. Reductions keep the reduction loop serial inside each thread,
//   one thread per output element, so no result depends on the order of
//   atomics: every run gives the same bits. A scalar summed over rows and
//   columns (an MSE) first sums each row in its own thread, then the rows
//   in one thread; a scalar summed over one dim (a mean over the batch)
//   runs in one thread.
// Untuned: no GPU was available to measure on (docs/performance.md).
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include <map>
#include <set>

using namespace mlc::hl;
using Halide::TailStrategy;
using Halide::Var;
using Halide::VarOrRVar;

namespace {

constexpr int kTile = 16;     // threads per block dim in 2-D tiles and gemm
constexpr int kThreads1D = 128;

/// Threads over `vars` (innermost first) of `stage`: a 2-D tile over the
/// first two, the rest fused into one block dim. No vars: a single thread.
void threads(Halide::Stage stage, std::vector<VarOrRVar> vars, std::string &log) {
  if (vars.empty()) {
    stage.gpu_single_thread();
    log += ".gpu_single_thread()";
    return;
  }
  if (vars.size() == 1) {
    Var b("b"), t("t");
    stage.gpu_tile(vars[0], b, t, kThreads1D, TailStrategy::GuardWithIf);
    log += ".gpu_tile(" + vars[0].name() + ", " + std::to_string(kThreads1D) + ")";
    return;
  }
  std::string outer;
  if (vars.size() > 2) {
    VarOrRVar fused = vars[2];
    for (size_t q = 3; q < vars.size(); ++q) {
      Var f(fused.name() + "_" + vars[q].name());
      stage.fuse(fused, vars[q], f);
      fused = f;
    }
    outer = fused.name();
    vars.erase(vars.begin() + 2, vars.end());
    vars.push_back(fused);
  }
  Var bx("bx"), by("by"), tx("tx"), ty("ty");
  stage.gpu_tile(vars[0], vars[1], bx, by, tx, ty, kTile, kTile, TailStrategy::GuardWithIf);
  log += ".gpu_tile(" + vars[0].name() + ", " + vars[1].name() + ", " + std::to_string(kTile) +
         ", " + std::to_string(kTile) + ")";
  if (!outer.empty()) {
    stage.gpu_blocks(vars[2]);
    log += ".gpu_blocks(" + outer + ")";
  }
}

/// The pure vars an update keeps in place (its parallel dims); the others
/// are reduced or scattered to, so they stay serial in each thread.
std::vector<VarOrRVar> pureVarsOf(const Halide::Func &f, int update) {
  std::vector<VarOrRVar> vars;
  std::vector<Var> args = f.args();
  std::vector<Halide::Expr> uargs = f.update_args(update);
  for (size_t q = 0; q < uargs.size() && q < args.size(); ++q)
    if (const auto *v = uargs[q].as<Halide::Internal::Variable>(); v && v->name == args[q].name())
      vars.push_back(args[q]);
  return vars;
}

void scheduleGemm(Halide::Func out, Gemm g, std::string &log) {
  std::vector<Var> args = out.args();
  Var p = args[0], m = args[1];
  std::vector<VarOrRVar> lead(args.begin() + 2, args.end());
  VarOrRVar w = p;
  if (!lead.empty()) {
    w = lead[0];
    for (size_t q = 1; q < lead.size(); ++q) {
      Var f(w.name() + "_" + lead[q].name());
      out.fuse(w, lead[q], f);
      w = f;
    }
  }
  Var pb("pb"), mb("mb"), pt("pt"), mt("mt");
  out.gpu_tile(p, m, pb, mb, pt, mt, kTile, kTile, TailStrategy::GuardWithIf);
  if (!lead.empty())
    out.gpu_blocks(w);
  // The tile's accumulators at block level (shared memory), one per thread.
  std::vector<Var> accArgs = g.acc.args();
  Var ap = accArgs[0], am = accArgs[1];
  g.acc.compute_at(out, pb).gpu_threads(ap, am);
  Halide::RVar ko("ko"), ki("ki");
  std::vector<VarOrRVar> order = {ki, ap, am, ko};
  for (size_t q = 1; q < g.k.size(); ++q)
    order.push_back(g.k[q]);
  g.acc.update()
      .split(g.k[0], ko, ki, kTile, TailStrategy::GuardWithIf)
      .reorder(order)
      .gpu_threads(ap, am);
  // Each k chunk of B, staged by the whole block.
  std::vector<Var> packedArgs = g.packed.args();
  g.packed.compute_at(g.acc, ko).gpu_threads(packedArgs[0], packedArgs[1]);
  log += ".gpu_tile(" + p.name() + ", " + m.name() + ", 16, 16)" +
         (lead.empty() ? "" : ".gpu_blocks(" + w.name() + ")") + "; " + g.acc.name() +
         ".compute_at(" + out.name() + ", pb).gpu_threads(" + ap.name() + ", " + am.name() +
         ") shared, update.split(k, ko, ki, 16).reorder(ki, " + ap.name() + ", " + am.name() +
         ", ko); " + g.packed.name() + ".compute_at(" + g.acc.name() +
         ", ko).gpu_threads() B chunk staged in shared memory";
}

} // namespace

void mlc::hl::scheduleGPU(const LoweredFunction &fn, Kernel &kernel) {
  // The class the schedule pass chose (none for copies of results).
  std::string cls;
  if (kernel.op)
    if (auto a = kernel.op->getAttrOfType<mlir::StringAttr>("mlc.gpu"))
      cls = a.getValue().str();
  if (!cls.empty())
    kernel.scheduleLog.push_back("// mlc.gpu = \"" + cls + "\"");
  std::set<std::string> outputs, done;
  for (const Halide::Func &f : kernel.outputs)
    outputs.insert(f.name());
  std::map<std::string, Halide::Internal::Function> all = kernelFuncs(kernel);
  // Products.
  if (cls.empty() || cls == "gemm")
    done = scheduleProducts(fn, kernel, [](Halide::Func f, const Gemm &g, std::string &log) {
      scheduleGemm(f, g, log);
    });
  // Row owners: one thread per row (the dims above the reduced one).
  std::map<std::string, Var> rowThread;
  for (auto &[helper, row] : fn.rowOf) {
    const auto &[owner, dim] = row;
    if ((!cls.empty() && cls != "rows") || !all.count(helper) || !outputs.count(owner) ||
        rowThread.count(owner) ||
        dim + 1 >= Halide::Func(all.at(owner)).dimensions())
      continue;
    Halide::Func f(all.at(owner));
    std::vector<Var> args = f.args();
    Var rows = args[size_t(dim) + 1];
    for (size_t q = size_t(dim) + 2; q < args.size(); ++q) {
      Var fused(rows.name() + "_" + args[q].name());
      f.fuse(rows, args[q], fused);
      rows = fused;
    }
    Var b("b"), t("t");
    f.gpu_tile(rows, b, t, kThreads1D / 2, TailStrategy::GuardWithIf);
    rowThread[owner] = t;
    kernel.scheduleLog.push_back(owner + ".gpu_tile(" + rows.name() + ", " +
                                 std::to_string(kThreads1D / 2) +
                                 ") one thread per row;  // (" + varList(f) + ")");
    done.insert(owner);
  }
  for (auto &[name, function] : all) {
    if (done.count(name))
      continue;
    Halide::Func f(function);
    std::string log = name;
    if (fn.inlined.count(name)) {
      kernel.scheduleLog.push_back(name + ".compute_inline();");
      continue;
    }
    auto row = fn.rowOf.find(name);
    if (row != fn.rowOf.end() && rowThread.count(row->second.first)) {
      // Inside its row's thread: serial, in registers or local memory.
      f.compute_at(Halide::Func(all.at(row->second.first)), rowThread.at(row->second.first));
      kernel.scheduleLog.push_back(name + ".compute_at(" + row->second.first +
                                   ", t) in the row's thread;  // (" + varList(f) + ")");
      continue;
    }
    auto shape = fn.shapes.find(name);
    if (!outputs.count(name)) {
      f.compute_root();
      log += ".compute_root()";
      if (shape != fn.shapes.end())
        for (size_t k = 0; k < f.args().size() && k < shape->second.size(); ++k)
          f.bound(f.args()[k], 0, shape->second[shape->second.size() - 1 - k]);
    }
    std::vector<Var> args = f.args();
    threads(f, std::vector<VarOrRVar>(args.begin(), args.end()), log);
    for (int u = 0; u < f.num_update_definitions(); ++u) {
      const auto &rvars = f.update(u).get_schedule().rvars();
      if (args.empty() && rvars.size() >= 2) {
        // A scalar summed over rows and columns (an MSE): one thread per
        // row sums its row (rfactor), then one thread sums the rows, in
        // the same order every run.
        Var row("row");
        Halide::Func rows = f.update(u).rfactor(Halide::RVar(rvars.back().var), row);
        rows.compute_root();
        std::string rowLog;
        threads(rows, {row}, rowLog);
        threads(rows.update(0), {row}, rowLog);
        f.update(u).gpu_single_thread();
        log += "; update(" + std::to_string(u) + ").rfactor(outer r, row) " + rowLog +
               ", then .gpu_single_thread() over the rows";
        continue;
      }
      log += "; update(" + std::to_string(u) + ")";
      threads(f.update(u), pureVarsOf(f, u), log);
    }
    kernel.scheduleLog.push_back(log + ";  // (" + varList(f) + ")");
  }
}
