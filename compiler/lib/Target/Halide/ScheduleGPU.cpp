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
//   A weight gradient over [N, T] positions splits k over blocks: each
//   sample's partial product is a tile of its own, then summed in order.
// - "rows" (softmax, log_softmax, layer_norm and their gradients): one
//   thread per row (threads over the row dim, blocks over the outer dims);
//   the row statistics are computed by that thread, inside its row, before
//   the row is written.
// - everything else ("elementwise", "reduce", "scalar"): 2-D thread blocks
//   (16x16) over the two innermost dims of extent > 1, the outer dims fused
//   into a third block dim. Reductions keep the reduction loop serial inside
//   each thread, one thread per output element, so no result depends on the
//   order of atomics: every run gives the same bits. A reduction over
//   several dims in few threads (an MSE, a bias, layer-norm or embedding
//   gradient summed over [N, T]) is split by dim (splitByDim): one kernel
//   loop per reduced dim, so no thread sums more than one dim's extent.
// Measured on an H200 (docs/performance.md, GPU section): the split took the
// attention block's MSE from 1148 us a call to 226, a layer-norm gradient
// (with no tiles over extent-1 dims) from ~400 to 105-190, gpt's embedding
// gradient from 382 to 68; the rows' block dims, softmax from 200-333 to
// 55-106; the split k, gpt's weight gradients from 100-125 to 22-38. The
// products are otherwise untuned (one output per thread).
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

/// The extent of `f`'s dim `var` when its op's shape records a constant
/// one; 0 otherwise (the batch, or a helper without a recorded shape).
int64_t knownExtent(const LoweredFunction &fn, const Halide::Func &f, const VarOrRVar &var) {
  auto shape = fn.shapes.find(f.name());
  std::vector<Var> args = f.args();
  if (shape == fn.shapes.end() || shape->second.size() != args.size())
    return 0;
  for (size_t k = 0; k < args.size(); ++k)
    if (args[k].name() == var.name()) {
      const int64_t *extent =
          Halide::Internal::as_const_int(shape->second[args.size() - 1 - k]);
      return extent ? *extent : 0;
    }
  return 0;
}

/// `vars` without the dims of `f` of extent 1 (a row statistic's kept dim):
/// a 16x16 tile over such a dim leaves 15 threads in 16 idle.
std::vector<VarOrRVar> wideVars(const LoweredFunction &fn, const Halide::Func &f,
                                std::vector<VarOrRVar> vars) {
  std::vector<VarOrRVar> wide;
  for (const VarOrRVar &v : vars)
    if (knownExtent(fn, f, v) != 1)
      wide.push_back(v);
  return wide;
}

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

/// Threads below which a reduction over several dims is split by dim.
constexpr int64_t kFewThreads = 4096;
/// The most outputs whose partial results are kept per sample (splitByDim,
/// a split k): the partials take outputs x N (x T) floats of device memory
/// (1 MiB a sample at most), e.g. not a 50k-word embedding table's.
constexpr int64_t kMaxSplitOutputs = int64_t(1) << 18;

/// Whether update `u` of `f` reduces over several dims in fewer than
/// kFewThreads threads (one per kept dim's point, every extent known) into
/// at most kMaxSplitOutputs outputs (a scatter's are more than its threads).
bool fewThreadsManyTerms(const LoweredFunction &fn, Halide::Func f, int u) {
  if (f.update(u).get_schedule().rvars().size() < 2)
    return false;
  int64_t threads = 1, outputs = 1;
  for (const VarOrRVar &v : pureVarsOf(f, u))
    threads *= knownExtent(fn, f, v); // 0 for the batch: threads enough
  for (const Var &v : f.args())
    outputs *= knownExtent(fn, f, v);
  return threads > 0 && threads < kFewThreads && outputs > 0 && outputs <= kMaxSplitOutputs;
}

/// Splits update `u` of `f` (fewThreadsManyTerms) by reduced dim, innermost
/// first, with rfactor: level 0 sums the innermost dim in a thread per
/// (kept point, outer reduced index...), level 1 the next dim of those
/// partial sums, and so on; `f`'s update is left to sum the outermost.
/// E.g. an MSE over [32, 64, 128]: 2048 threads sum 128 terms, 32 threads
/// 64 partial sums, one thread 32 (one thread summed 8192 terms in each of
/// 32 before); an embedding gradient scatters each sample's positions into
/// a table of its own, then the tables are summed. The additions' order is
/// fixed: every run gives the same bits.
void splitByDim(Halide::Func f, int u, std::string &log) {
  log += "; update(" + std::to_string(u) + ") split by dim:";
  for (int level = 0;; ++level) {
    const auto &rvars = f.update(u).get_schedule().rvars(); // innermost first
    if (rvars.size() < 2)
      break;
    std::vector<std::pair<Halide::RVar, Var>> kept;
    for (size_t q = 1; q < rvars.size(); ++q)
      kept.push_back({Halide::RVar(rvars[q].var),
                      Var("l" + std::to_string(level) + "_" + std::to_string(q))});
    Halide::Func partial = f.update(u).rfactor(kept);
    partial.compute_root();
    std::vector<Var> args = partial.args();
    log += " " + partial.name() + ".compute_root()";
    threads(partial, std::vector<VarOrRVar>(args.begin(), args.end()), log);
    log += ".update()";
    threads(partial.update(0), pureVarsOf(partial, 0), log);
    log += ";";
  }
  log += " then update(" + std::to_string(u) + ")";
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
  log += ".gpu_tile(" + p.name() + ", " + m.name() + ", 16, 16)" +
         (lead.empty() ? "" : ".gpu_blocks(" + w.name() + ")") + "; ";
  // The tile's accumulators at block level (shared memory), one per thread.
  std::vector<Var> accArgs = g.acc.args();
  Var ap = accArgs[0], am = accArgs[1];
  g.acc.compute_at(out, pb).gpu_threads(ap, am);
  log += g.acc.name() + ".compute_at(" + out.name() + ", pb).gpu_threads(" + ap.name() + ", " +
         am.name() + ") shared, ";
  Halide::Func tiled = g.acc; // the Func whose update walks k in chunks
  std::vector<Halide::RVar> k = g.k;
  if (lead.empty() && k.size() >= 2 && g.P > 0 && g.M > 0 && g.P * g.M <= kMaxSplitOutputs) {
    // A weight gradient over [N, T] positions: one output per thread would
    // sum all N x T terms serially, in as few as 16 blocks (gpt's 64 x 64
    // weights). Split k over blocks: each sample's partial product in a
    // block of its own (rfactor over the outermost k, the batch), then each
    // thread of `out`'s tile sums its output's partials, in sample order.
    Var kb("kb");
    Halide::Func partial = g.acc.update().rfactor(k.back(), kb);
    Halide::Func sums = partial.in();
    sums.compute_root()
        .gpu_tile(ap, am, pb, mb, pt, mt, kTile, kTile, TailStrategy::GuardWithIf)
        .gpu_blocks(kb);
    partial.compute_at(sums, pb).gpu_threads(ap, am);
    g.acc.update().gpu_threads(ap, am);
    log += "update sums over kb; split k: " + partial.name() +
           " = rfactor(outer k, kb) per sample, " + sums.name() + ".compute_root().gpu_tile(" +
           ap.name() + ", " + am.name() + ", 16, 16).gpu_blocks(kb); " + partial.name() +
           ".compute_at(" + sums.name() + ", pb) shared, ";
    tiled = partial;
    k.pop_back();
  }
  Halide::RVar ko("ko"), ki("ki");
  std::vector<VarOrRVar> order = {ki, ap, am, ko};
  for (size_t q = 1; q < k.size(); ++q)
    order.push_back(k[q]);
  tiled.update()
      .split(k[0], ko, ki, kTile, TailStrategy::GuardWithIf)
      .reorder(order)
      .gpu_threads(ap, am);
  // Each k chunk of B, staged by the whole block.
  std::vector<Var> packedArgs = g.packed.args();
  g.packed.compute_at(tiled, ko).gpu_threads(packedArgs[0], packedArgs[1]);
  log += "update.split(k, ko, ki, 16).reorder(ki, " + ap.name() + ", " + am.name() + ", ko); " +
         g.packed.name() + ".compute_at(" + tiled.name() +
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
    // Threads over the dim above the reduced one, block dims over the rest
    // (the outermost fused when there are more than two). Fusing the row
    // dims into one thread dim made each row's index a % / chain whose
    // bounds Halide cannot narrow to one row: it sized a thread's helpers
    // (softmax's exp and den) for every row up to it and allocated them in
    // device memory on every call, ~0.2-0.3 ms per softmax on an H200.
    Var rows = args[size_t(dim) + 1];
    std::vector<Var> outer(args.begin() + dim + 2, args.end());
    while (outer.size() > 2) {
      Var fused(outer[outer.size() - 2].name() + "_" + outer.back().name());
      f.fuse(outer[outer.size() - 2], outer.back(), fused);
      outer.pop_back();
      outer.back() = fused;
    }
    Var b("b"), t("t");
    f.gpu_tile(rows, b, t, kThreads1D / 2, TailStrategy::GuardWithIf);
    std::string blocks;
    if (outer.size() == 1)
      f.gpu_blocks(outer[0]);
    if (outer.size() == 2)
      f.gpu_blocks(outer[0], outer[1]);
    for (const Var &v : outer)
      blocks += (blocks.empty() ? "" : ", ") + v.name();
    rowThread[owner] = t;
    kernel.scheduleLog.push_back(owner + ".gpu_tile(" + rows.name() + ", " +
                                 std::to_string(kThreads1D / 2) + ")" +
                                 (blocks.empty() ? "" : ".gpu_blocks(" + blocks + ")") +
                                 " one thread per row;  // (" + varList(f) + ")");
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
    threads(f, wideVars(fn, f, std::vector<VarOrRVar>(args.begin(), args.end())), log);
    for (int u = 0; u < f.num_update_definitions(); ++u) {
      if (fewThreadsManyTerms(fn, f, u))
        splitByDim(f, u, log); // f's update left pure, over the outermost dim
      else
        log += "; update(" + std::to_string(u) + ")";
      threads(f.update(u), wideVars(fn, f, pureVarsOf(f, u)), log);
    }
    kernel.scheduleLog.push_back(log + ";  // (" + varList(f) + ")");
  }
}
