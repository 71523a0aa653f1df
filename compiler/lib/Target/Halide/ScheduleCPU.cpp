//===- ScheduleCPU.cpp - THE SCHEDULE for CPU targets ---------------------===//
//
// Applied per kernel (one op plus the elementwise ops fused into it):
// - matrix products (LoweringGemm.cpp) get a register-blocked micro-kernel:
//   a (2 vectors x 6 rows) block of outputs accumulated over the whole k
//   loop in 12 registers (16 ymm on AVX2), B packed once per 2-vector strip
//   and reused by every row block, strips in parallel; products too small
//   for a block accumulate one output row at a time;
// - elementwise chains are fused into their last op (the schedule pass
//   marks them; Lowering inlines them);
// - per-row statistics (softmax's max and sum, layer norm's mean and
//   variance) are computed inside their op's loop over rows: one row is
//   reduced (from a vector of partial sums), normalised and written while
//   it is in cache; weight gradients over sequence positions block k;
// - every other Func, including the helpers Halide creates for inline
//   reductions, is computed at root with its extents bounded, vectorized
//   along its innermost dim (the contiguous last tensor dim) and parallel
//   over its outermost dim when it is large; a reduction along the
//   contiguous dim of what it reads keeps a vector of partial sums
//   (rfactor), other reduction loops stay serial;
// - kernels compiled for any shape (Kernel::anyShape: optimizer updates,
//   bias gradients) get the same decisions without static extents
//   (scheduleAnyShapeCPU).
// Measured: leaving the reduction helpers at their consumers instead made
// allops.dsl compile 7x slower (they were recomputed inside fused chains).
// Tails: a dim with a static extent of at least a vector shifts its last
// vector inwards (no scalar tail code); the batch dim guards its lanes.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

using namespace mlc::hl;
using Halide::TailStrategy;
using Halide::Var;

namespace {

/// Elements below which a loop nest is not worth splitting over threads
/// (Halide's parallel loop costs a few microseconds to start).
constexpr int64_t kParallelElements = 16384;

/// Positions per sample from which a reduction over the batch into a kept
/// dim is split over the threads (see splitBatchInHalves).
constexpr int64_t kHalvesRows = 16;
/// The batch size assumed when estimating work.
constexpr int64_t kTypicalBatch = 64;

int64_t constant(const Halide::Expr &e) {
  const int64_t *v = Halide::Internal::as_const_int(e);
  return v ? *v : -1;
}

/// Elements of a static shape (kTypicalBatch for N).
int64_t elementsOf(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d < 0 ? kTypicalBatch : d;
  return n;
}

int64_t elements(const std::vector<Halide::Expr> &shape) {
  std::vector<int64_t> extents;
  for (const Halide::Expr &e : shape)
    extents.push_back(constant(e));
  return elementsOf(extents);
}

/// Vectorizes `v` (extent `extent`, -1 when dynamic) and logs it.
template <typename FuncOrStage>
void vectorize(FuncOrStage f, Var v, int64_t extent, int lanes, std::string &log,
               TailStrategy tail = TailStrategy::ShiftInwards) {
  if (extent >= 0 && extent < lanes) {
    if (extent < 4)
      return;
    lanes = 4;
  }
  f.vectorize(v, lanes, extent >= 0 ? tail : TailStrategy::GuardWithIf);
  log += ".vectorize(" + v.name() + ", " + std::to_string(lanes) + ")";
}

/// Elements a reduction visits per step of its outermost dim: the product
/// of its other dims' static extents (0 if one is not static).
int64_t perOuterStep(const std::vector<Halide::Internal::ReductionVariable> &rvars) {
  int64_t n = 1;
  for (size_t q = 0; q + 1 < rvars.size(); ++q)
    n *= std::max<int64_t>(0, constant(rvars[q].extent));
  return n;
}

/// Update `u` of `f` as one partial sum per half of its outermost reduction
/// dim (the batch, split into `outer` over the halves and `inner` within
/// one): rfactor over `outer`, the halves indexed by `half`.
Halide::Func rfactorHalves(Halide::Func f, int u, const Halide::RVar &outer,
                           const Halide::RVar &inner, const Var &half) {
  Halide::Internal::ReductionVariable last = f.update(u).get_schedule().rvars().back();
  return f.update(u)
      .split(Halide::RVar(last.var), outer, inner, (last.extent + 1) / 2,
             TailStrategy::GuardWithIf)
      .rfactor(outer, half);
}

/// A reduction to a scalar (a loss summed over every element) whose
/// innermost reduction dim is a static multiple of a vector: `lanes`
/// partial sums in one vector (rfactor), then one sum of the lanes. As one
/// serial chain of adds the autoencoder b256's MSE took 360 us (a 4-cycle
/// add latency per element).
bool splitTotalReduction(Halide::Func f, int u, int lanes, std::string &log) {
  std::vector<Halide::Internal::ReductionVariable> rvars = f.update(u).get_schedule().rvars();
  if (rvars.empty() || constant(rvars[0].extent) <= 0 || constant(rvars[0].extent) % lanes)
    return false;
  Halide::RVar r(rvars[0].var), ro("ro"), ri("ri");
  Var lane("lane");
  if (rvars.size() >= 2 && constant(rvars.back().extent) < 0 &&
      perOuterStep(rvars) * kTypicalBatch >= kParallelElements) {
    // Over a batch of enough elements: first a partial sum per half of it,
    // the halves on the two threads (as splitBatchInHalves), each from
    // `lanes` partial sums.
    // MSE losses (three alternating runs): the attention block's [32, 64,
    // 128] 129-163 -> 94-111 us a call, the autoencoder b256's [256, 1000]
    // 82-91 -> 46-59 us.
    Var half("half");
    Halide::Func halves = rfactorHalves(f, u, Halide::RVar("bo"), Halide::RVar("bi"), half);
    Halide::Func partial = halves.update(0).split(r, ro, ri, lanes).rfactor(ri, lane);
    halves.compute_root();
    halves.update(0).parallel(half);
    partial.compute_at(halves, half).vectorize(lane);
    partial.update(0).vectorize(lane);
    log += "; update(" + std::to_string(u) + ").split(batch, bo, bi, (batch + 1) / 2).rfactor(" +
           "bo, half) in parallel, each half .split(r, ro, ri, " + std::to_string(lanes) +
           ").rfactor(ri, lane): " + std::to_string(lanes) + " partial sums in a vector";
    return true;
  }
  Halide::Func partial = f.update(u).split(r, ro, ri, lanes).rfactor(ri, lane);
  partial.compute_root().vectorize(lane);
  partial.update(0).vectorize(lane);
  log += "; update(" + std::to_string(u) + ").split(r, ro, ri, " + std::to_string(lanes) +
         ").rfactor(ri, lane): " + std::to_string(lanes) + " partial sums in a vector";
  return true;
}

/// Whether update `u` of `f` reads some buffer or Func along its innermost
/// (contiguous) dim with the variable `var` (and, if `alsoVarying` is not
/// empty, at an element that changes with that variable too).
bool readsAlongInnermost(Halide::Func f, int u, const std::string &var,
                         const std::string &alsoVarying = "") {
  struct Finder : Halide::Internal::IRVisitor {
    std::string name, varying, self;
    bool found = false;
    using IRVisitor::visit;
    void visit(const Halide::Internal::Call *c) override {
      if (!c->args.empty() && c->name != self) // not the reduction's own value
        if (const auto *v = c->args[0].as<Halide::Internal::Variable>(); v && v->name == name)
          found = found || varying.empty() ||
                  std::any_of(c->args.begin(), c->args.end(), [&](const Halide::Expr &a) {
                    return Halide::Internal::expr_uses_var(a, varying);
                  });
      IRVisitor::visit(c);
    }
  } finder;
  finder.name = var;
  finder.varying = alsoVarying;
  finder.self = f.name();
  Halide::Tuple values = f.update_values(u);
  for (const Halide::Expr &e : values.as_vector())
    e.accept(&finder);
  return finder.found;
}

/// A reduction along the contiguous dim of what it reads (softmax's
/// backward sum(dy * y, -1) over rows of 128): `lanes` partial sums per row
/// from whole-vector loads (rfactor), then one sum of the lanes. With the
/// rows in vector lanes instead, each load gathered 8 rows 512 bytes apart:
/// 1.5 ms a call on gpt's [16, 4, 128, 128].
bool canSplitRow(Halide::Func f, int u, int lanes, bool unitInner) {
  const auto &rvars = f.update(u).get_schedule().rvars();
  std::vector<Var> args = f.args();
  // One value (an argmax's (index, value) pair is not provably associative).
  return !args.empty() && !rvars.empty() && f.update_values(u).size() == 1 &&
         constant(rvars[0].extent) > 0 && constant(rvars[0].extent) % lanes == 0 &&
         readsAlongInnermost(f, u, rvars[0].var) &&
         // Vectors along args[0] would load whole, unless it is a row
         // statistic's unit dim (layer norm's variance reads the row's mean)
         // or what is read along it is the same for the whole row (the
         // cross-entropy's sum of exp(z - max) over the classes of each
         // position: with the positions in lanes each load gathered 8
         // positions 96 floats apart).
         (unitInner || !readsAlongInnermost(f, u, args[0].name(), rvars[0].var));
}

bool splitRowReduction(Halide::Func f, int u, int lanes, bool unitInner, std::string &log) {
  if (!canSplitRow(f, u, lanes, unitInner))
    return false;
  std::vector<Var> args = f.args();
  const auto &rvars = f.update(u).get_schedule().rvars();
  Halide::RVar r(rvars[0].var), ro("ro"), ri("ri");
  Var lane("lane");
  Halide::Func partial = f.update(u).split(r, ro, ri, lanes).rfactor(ri, lane);
  partial.compute_at(f, args[0]).vectorize(lane);
  partial.update(0).vectorize(lane);
  log += "; update(" + std::to_string(u) + ").split(r, ro, ri, " + std::to_string(lanes) +
         ").rfactor(ri, lane): " + std::to_string(lanes) + " partial sums per row in a vector";
  return true;
}

/// A reduction whose update keeps the contiguous pure dim in place (a sum
/// over the rows of [N, T, 512] read each column with a stride of 512 floats
/// otherwise: 4.5 ms): that dim vectorized, the reduction loops outside it.
bool vectorizeKeptDim(Halide::Func f, int u, int lanes, std::string &log) {
  std::vector<Var> args = f.args();
  std::vector<Halide::Expr> uargs = f.update_args(u);
  const auto *v = uargs.empty() ? nullptr : uargs[0].as<Halide::Internal::Variable>();
  const auto &rvars = f.update(u).get_schedule().rvars();
  if (args.empty() || !v || v->name != args[0].name() || rvars.empty())
    return false;
  std::vector<Halide::VarOrRVar> order = {args[0]};
  for (const auto &r : rvars)
    order.push_back(Halide::RVar(r.var));
  f.update(u).reorder(order).vectorize(args[0], lanes, TailStrategy::GuardWithIf);
  log += "; update(" + std::to_string(u) + ").reorder(" + args[0].name() + ", r).vectorize(" +
         args[0].name() + ")";
  return true;
}

/// A reduction into a kept contiguous dim over the positions of a batch
/// (layer norm's dw and db: [128] summed over [N, 64] rows of dy and x; a
/// bias gradient over [N, T] rows) whose inner reduction dims are static
/// and hold at least kHalvesRows positions, or unknown (`staticInner`
/// false, a kernel for any extents: the sequence models' bias gradients):
/// the batch split in two halves, one partial sum each (rfactor) on the
/// two threads, then their sum, in a fixed order. Measured in the attention
/// block's step (three alternating runs each): its two layer norm backward
/// kernels, with their row statistics in parallel too, 388 -> 295 us a
/// call; its bias gradients 370-430 -> 146-202 us over [2048, 512], 52-66
/// -> 24-34 us over [2048, 128]. One partial per sample instead was slower
/// (32 tasks of 64 rows cost more than the serial pass saved), hence two.
/// A sum over the batch alone ([N, P], the MLP's and the autoencoder's
/// biases) stays serial: its one compiled copy serves [N, 2] too.
bool splitBatchInHalves(Halide::Func f, int u, int lanes, std::string &log,
                        bool staticInner = true) {
  std::vector<Var> args = f.args();
  std::vector<Halide::Expr> uargs = f.update_args(u);
  std::vector<Halide::Internal::ReductionVariable> rvars = f.update(u).get_schedule().rvars();
  if (args.size() != 1 || uargs.size() != 1 || rvars.size() < 2)
    return false;
  const auto *v = uargs[0].as<Halide::Internal::Variable>();
  if (!v || v->name != args[0].name() || (staticInner && perOuterStep(rvars) < kHalvesRows) ||
      constant(rvars.back().extent) >= 0)
    return false;
  Halide::RVar ri("ri");
  Var half("half");
  Halide::Func partial = rfactorHalves(f, u, Halide::RVar("ro"), ri, half);
  partial.compute_root().vectorize(partial.args()[0], lanes, TailStrategy::GuardWithIf);
  std::vector<Halide::VarOrRVar> order = {partial.args()[0]};
  for (size_t q = 0; q + 1 < rvars.size(); ++q)
    order.push_back(Halide::RVar(rvars[q].var));
  order.push_back(ri);
  order.push_back(half);
  partial.update(0)
      .reorder(order)
      .vectorize(partial.args()[0], lanes, TailStrategy::GuardWithIf)
      .parallel(half);
  f.update(u).vectorize(args[0], lanes, TailStrategy::GuardWithIf);
  log += "; update(" + std::to_string(u) + ").split(batch, ro, ri, (batch + 1) / 2).rfactor(ro, " +
         "half): a partial sum per half of the batch, in parallel";
  return true;
}

/// Elements per task below which a pure Func over the batch's rows runs in
/// two halves of the batch instead of a task a row.
constexpr int64_t kRowTask = 4096;

/// Halide's thread pool hands out a parallel loop's iterations one at a
/// time, under a lock: for rows of a few thousand floats the hand-outs cost
/// as much as the rows. The autoencoder b256's MSE gradient ([256, 1000],
/// a task a row) 116-175 -> 84-133 us a call as two halves (four
/// alternating runs); over [N, 64, 128] (8192 elements a task) halves were
/// no faster. Not for a Func with row helpers computed in its loops.
bool parallelInHalves(Halide::Func f, const LoweredFunction &fn, const std::string &name,
                      bool output, bool hostsHelpers, std::string &log) {
  auto shape = fn.shapes.find(name);
  if (hostsHelpers || shape == fn.shapes.end() || f.num_update_definitions() > 0 ||
      constant(shape->second.front()) >= 0)
    return false;
  int64_t perRow = 1;
  for (size_t d = 1; d < shape->second.size(); ++d)
    perRow *= std::max<int64_t>(1, constant(shape->second[d]));
  if (perRow >= kRowTask)
    return false;
  std::vector<Var> args = f.args();
  Halide::Expr rows = output ? f.output_buffer().dim(int(args.size()) - 1).extent()
                             : shape->second.front();
  Var ho("ho"), hi("hi");
  f.split(args.back(), ho, hi, (rows + 1) / 2, TailStrategy::GuardWithIf).parallel(ho);
  log += ".split(" + args.back().name() + ", ho, hi, (batch + 1) / 2).parallel(ho)";
  return true;
}

/// An optimizer update writes the parameter and its state in one loop: each
/// is read and written once per step.
void fuseOptimizerOutputs(Kernel &kernel) {
  Halide::Func first = kernel.outputs[0];
  if (kernel.outputs.size() < 2 || first.dimensions() == 0)
    return;
  for (size_t k = 1; k < kernel.outputs.size(); ++k) {
    Halide::Func(kernel.outputs[k]).compute_with(first, first.args()[0]);
    kernel.scheduleLog.push_back(kernel.outputs[k].name() + ".compute_with(" + first.name() +
                                 ", " + first.args()[0].name() + ");");
  }
}

/// The longest whole-row helper (floats) computed a row at a time on the
/// stack (Halide's worker threads have the default 8 MB stacks).
constexpr int64_t kStackRow = 16384;

/// Register blocks ahead that a product's epilogue inputs are prefetched.
constexpr int kPrefetchBlocks = 6;

/// Positions per k block of a weight gradient (see scheduleKBlocked).
constexpr int64_t kBlockPositions = 128;

/// A blocked weight gradient's operand copied per (k block, strip) has the
/// block's samples as its outermost dim, extent min(perBlock, what is left
/// of the batch): a size known only at run time, so a halide_malloc per
/// strip and block (513 a call for the attention block's FFN weight
/// gradients). Its storage bounded to a whole block is constant, 8 KiB when
/// the block's positions fill kBlockPositions, and goes on the stack
/// (Halide's limit for that is 16 KiB).
void constantStorage(Halide::Func f, int64_t perBlock, std::string &log) {
  Var outer = f.args().back();
  f.bound_storage(outer, int(perBlock));
  log += "; " + f.name() + ".bound_storage(" + outer.name() + ", " + std::to_string(perBlock) +
         ")";
}

/// Steps of a weight gradient's outermost k dim per block of about
/// kBlockPositions positions; `inner` gets the positions per step. 0 if an
/// inner k dim is not static.
int64_t blockSteps(const Gemm &g, int64_t &inner) {
  inner = 1;
  for (size_t q = 0; q + 1 < g.k.size(); ++q) {
    int64_t e = constant(g.k[q].extent());
    if (e <= 0)
      return 0;
    inner *= e;
  }
  return std::max<int64_t>(1, kBlockPositions / inner);
}

/// A weight gradient's update over blocks of `perBlock` steps of its
/// outermost k dim (serial, outermost). rfactor gives each block's sum, a
/// register block computed at the row block: the accumulator's dim `vec`
/// (0: p, 1: m) in strips of 2 vectors, the strips in parallel and the
/// block sum contiguous along them; the other dim in blocks of 6 (`rowTail`
/// past its end); the block's k loop innermost. Returns the strip loop
/// (where a schedule packs an operand).
Var blockedUpdate(Gemm g, int vec, TailStrategy rowTail, int64_t perBlock, int lanes) {
  const int jr = 2 * lanes, ir = 6;
  Var v = g.acc.args()[vec], o = g.acc.args()[1 - vec];
  std::string vn = vec == 0 ? "ap" : "am", on = vec == 0 ? "am" : "ap";
  Var vo(vn + "o"), vi(vn + "i"), oo(on + "o"), oi(on + "i"), block("block");
  Halide::RVar ko("ko"), ki("ki");
  Halide::Func part = g.acc.update()
                          .split(g.k.back(), ko, ki, int(perBlock), TailStrategy::GuardWithIf)
                          .rfactor(ko, block);
  g.acc.update()
      .split(v, vo, vi, jr, TailStrategy::RoundUp)
      .split(o, oo, oi, ir, rowTail)
      .reorder(vi, oi, oo, vo, ko)
      .vectorize(vi, lanes)
      .unroll(vi)
      .unroll(oi)
      .parallel(vo);
  Var pv = part.args()[vec], po = part.args()[1 - vec];
  if (vec != 0)
    part.reorder_storage(pv, po, part.args()[2]);
  part.compute_at(g.acc, oo).vectorize(pv, lanes).unroll(pv).unroll(po);
  std::vector<Halide::VarOrRVar> order = {pv, po};
  order.insert(order.end(), g.k.begin(), g.k.end() - 1);
  order.push_back(ki);
  part.update().reorder(order).vectorize(pv, lanes).unroll(pv).unroll(po);
  return vo;
}

/// A weight gradient dW[m, p] = sum over positions k of A[k, m] B[k, p]:
/// both operands are read a row apart per k step, so over thousands of
/// positions a register block's k loop streams a cache line of each per
/// step from far away. Here the positions are blocked (kBlockPositions,
/// outermost and serial): each k block's sum is a register block (rfactor)
/// added into the whole dW (at root), the block's rows of A stay in L2
/// while every register block reads them, and B is packed per (k block,
/// column strip). Rows are rounded up to whole
/// register blocks (A's row is clamped). Measured on 2048 positions, the
/// kernel alone (best of 80): [512, 128] 3.6 -> 2.8 ms, [128, 512] 2.9 ->
/// 2.45 ms, [128, 128] 0.65 -> 0.52 ms; in the attention block's step the
/// [512, 128] one 5.8 -> 4.4 ms (its inputs come from memory there). Blocks
/// of 64 and 256 positions were no better than 128.
bool scheduleKBlocked(Halide::Func out, Gemm g, int lanes, std::string &log) {
  const int jr = 2 * lanes, ir = 6;
  std::vector<Var> args = out.args();
  // Positions over a sequence only ([N, T] rows): over a batch of rows
  // (k = N alone, at most a few hundred) the whole-k register blocks won
  // (1000x256 over 256 rows: 1.05 ms, blocked by 128: 1.37 ms).
  if (!g.kAlongRows || args.size() != 2 || g.k.size() < 2 || g.P < 0 || g.P % jr || g.M < ir)
    return false;
  int64_t inner, perBlock = blockSteps(g, inner);
  if (!perBlock)
    return false;
  Var p = args[0], m = args[1];
  out.vectorize(p, lanes).parallel(m);
  g.acc.compute_root().vectorize(g.acc.args()[0], lanes);
  Var strip = blockedUpdate(g, 0, TailStrategy::RoundUp, perBlock, lanes);
  g.packed.compute_at(g.acc, strip).vectorize(g.packed.args()[0], lanes);
  log += ".vectorize(" + p.name() + ", " + std::to_string(lanes) + ").parallel(" + m.name() +
         "); " + g.acc.name() + ".compute_root() update: positions in blocks of " +
         std::to_string(perBlock * inner) + " outermost (rfactor: each block's sum in " +
         std::to_string(jr / lanes) + "x" + std::to_string(lanes) + "x" + std::to_string(ir) +
         " registers), then column strips of " + std::to_string(jr) +
         " (parallel), rows rounded up to blocks of " + std::to_string(ir) + "; " +
         g.packed.name() + ".compute_at(apo)";
  constantStorage(g.packed, perBlock, log);
  return true;
}

/// Rows of A (floats) from which a weight gradient over sequence positions
/// is computed transposed (see scheduleTransposed).
constexpr int64_t kTransposedRows = 256;

/// A weight gradient over sequence positions whose A is the wider operand
/// (m >= 2p, the FFN's first layer: dW [512, 128] = sum of dH[k, 512]
/// x[k, 128]): computed transposed, vectors along m. With vectors along p
/// (scheduleKBlocked) every column strip reads all of A's k block a row
/// apart; here each strip of 2 vectors of m copies its rows of the k
/// block into a contiguous panel once (`rows`, 16 floats a position) and
/// reads B's 6 columns in place as broadcasts; the register block's sums
/// are stored m-contiguous (reorder_storage) and `out` transposes 8x8
/// tiles. Measured on the kernel alone over 2048 positions (median of 60
/// interleaved calls, 2 threads), warm / inputs flushed from cache:
/// [512, 128] 2.9 / 4.6 -> 2.5 / 3.7 ms, [512, 256] 6.7 -> 5.7 ms
/// (flushed), [256, 64] 0.86 / 1.57 -> 0.82 / 1.43 ms; slower where A is
/// not wider ([128, 512] 2.33 -> 2.49 ms, [128, 128] +5-10 %, [96, 64] +18 %).
/// Packing B's k block too (at ko) was no faster on [512, 128] and 20-50 %
/// slower on [256, 64] and [96, 64].
bool scheduleTransposed(Halide::Func out, Gemm g, int lanes, std::string &log) {
  const int jr = 2 * lanes, ir = 6;
  std::vector<Var> args = out.args();
  if (!g.kAlongRows || !g.rows.defined() || args.size() != 2 || g.k.size() < 2 ||
      g.P < lanes || g.M < kTransposedRows || g.M % jr || g.M < 2 * g.P)
    return false;
  int64_t inner, perBlock = blockSteps(g, inner);
  if (!perBlock)
    return false;
  Var p = args[0], m = args[1], po("po"), pi("pi"), mo("mo"), mi("mi");
  // Static extents: A's strips are whole vectors (M % 16 == 0), copied
  // without a clamp per vector (with the output's extents left free the
  // copy was clamped per vector and the kernel took 8-9 ms in the block's
  // step instead of ~3).
  out.bound(p, 0, int(g.P)).bound(m, 0, int(g.M));
  out.tile(p, m, po, mo, pi, mi, lanes, lanes).vectorize(pi).unroll(mi).parallel(mo);
  Var ap = g.acc.args()[0], am = g.acc.args()[1];
  g.acc.compute_root().reorder_storage(am, ap).vectorize(am, lanes);
  Var strip = blockedUpdate(g, 1, TailStrategy::GuardWithIf, perBlock, lanes);
  g.rows.compute_at(g.acc, strip).vectorize(g.rows.args()[0], lanes);
  log += ".tile(" + p.name() + ", " + m.name() + ", " + std::to_string(lanes) + "x" +
         std::to_string(lanes) + ").parallel(mo); " + g.acc.name() +
         ".compute_root().reorder_storage(" + am.name() + ", " + ap.name() +
         ") update: positions in blocks of " + std::to_string(perBlock * inner) +
         " outermost (rfactor: each block's sum in " + std::to_string(jr / lanes) + "x" +
         std::to_string(lanes) + "x" + std::to_string(ir) +
         " registers, vectors along m), then row strips of " + std::to_string(jr) +
         " (parallel), columns in blocks of " + std::to_string(ir) + " (guarded); " +
         g.rows.name() + ".compute_at(amo) (A's strip packed); " + g.packed.name() +
         " inline (B read in place)";
  constantStorage(g.rows, perBlock, log);
  return true;
}

/// The accumulator as a register block (2 vectors x 6 rows, unrolled)
/// computed at `loop` of `out`, the whole k loop innermost.
void accumulateInRegisters(Halide::Func out, const Gemm &g, const Var &loop, int lanes) {
  Var ap = g.acc.args()[0], am = g.acc.args()[1];
  Halide::Func acc = g.acc;
  acc.compute_at(out, loop).vectorize(ap, lanes).unroll(ap).unroll(am);
  std::vector<Halide::VarOrRVar> order = {ap, am};
  order.insert(order.end(), g.k.begin(), g.k.end());
  acc.update().reorder(order).vectorize(ap, lanes).unroll(ap).unroll(am);
}

/// Rows of a weight gradient (floats of A's row) from which A's row-apart
/// reads leave the hardware prefetcher's reach (AMD's stops at 4 KiB
/// pages), and the row chunk each thread takes (see scheduleWideRows).
constexpr int64_t kWideRows = 896;
constexpr int kRowChunk = 48;

/// A weight gradient over a batch of rows, dW[m, p] = sum over k of
/// A[k, m] B[k, p], whose A rows are long (m >= kWideRows) and whose B is
/// narrow (3p <= m; the decoder's last layer, [1000, 256]). Column strips
/// outermost (scheduleGemm) read all of A, one cache line per k step a
/// page apart, once per strip: every strip fetches A again from memory.
/// Here B is packed once (at root, p x k floats: 256 KiB at 256 rows) and
/// chunks of kRowChunk rows run in parallel, each row block reading its
/// 6 rows of A once for all the strips. Measured on the kernel alone with
/// its inputs out of cache (64 MiB flushed; median of 100 interleaved
/// calls, 2 threads): [1000, 256] over 256 rows 2.0 -> 1.7 ms, over 128
/// rows 1.26 -> 1.13, over 64 and 16 rows equal, over 2048 rows 56 -> 29
/// ms; [1000, 128] and [1000, 64] over 256 rows 25 % faster; worse where B
/// is wider ([1000, 512]: +5 %) or A's rows shorter ([256, 1000]: +50 %,
/// [512, 512] +10 %); 24-row chunks no better, 96 worse.
bool scheduleWideRows(Halide::Func out, Gemm g, int lanes, std::string &log) {
  const int jr = 2 * lanes, ir = 6;
  std::vector<Var> args = out.args();
  if (!g.kAlongRows || args.size() != 2 || g.k.size() != 1 || g.P < jr ||
      g.M < kWideRows || 3 * g.P > g.M)
    return false;
  Var p = args[0], m = args[1];
  Var mc("mc"), po("po"), pi("pi"), mo("mo"), mi("mi");
  out.split(m, mc, m, kRowChunk, TailStrategy::ShiftInwards)
      .split(p, po, pi, jr, TailStrategy::ShiftInwards)
      .split(m, mo, mi, ir, TailStrategy::ShiftInwards)
      .reorder(pi, mi, po, mo, mc)
      .vectorize(pi, lanes)
      .unroll(pi)
      .unroll(mi)
      .parallel(mc);
  accumulateInRegisters(out, g, po, lanes);
  Var bp = g.packed.args()[0], bk = g.packed.args()[1], bko("bko"), bki("bki");
  g.packed.compute_root()
      .vectorize(bp, lanes)
      .split(bk, bko, bki, 16, TailStrategy::GuardWithIf)
      .parallel(bko);
  log += ".split(" + m.name() + ", mc, " + m.name() + ", " + std::to_string(kRowChunk) +
         ").split(" + p.name() + ", po, pi, " + std::to_string(jr) + ").split(" + m.name() +
         ", mo, mi, " + std::to_string(ir) + ").reorder(pi, mi, po, mo, mc).vectorize(pi, " +
         std::to_string(lanes) + ").unroll(pi).unroll(mi).parallel(mc); " + g.acc.name() +
         ".compute_at(po) " + std::to_string(jr / lanes) + "x" + std::to_string(lanes) +
         "x6 registers, k innermost; " + g.packed.name() +
         ".compute_root() (B packed once; row chunks share it)";
  return true;
}

/// Calls `fn` on every call in a product's epilogue: `out`'s own
/// definition and the Funcs inlined into it, not the product's operands
/// (its acc and packed).
void forEachEpilogueCall(Halide::Func out, const Gemm &g,
                         const std::function<void(const Halide::Internal::Call *)> &fn) {
  struct Walker : Halide::Internal::IRVisitor {
    std::set<std::string> seen;
    const std::function<void(const Halide::Internal::Call *)> *fn = nullptr;
    using IRVisitor::visit;
    void visit(const Halide::Internal::Call *c) override {
      IRVisitor::visit(c);
      (*fn)(c);
      if (c->call_type == Halide::Internal::Call::Halide && c->func.defined() &&
          seen.insert(c->name).second) {
        Halide::Internal::Function f(c->func);
        if (f.definition().defined() && !f.has_update_definition())
          for (const Halide::Expr &e : f.definition().values())
            e.accept(this);
      }
    }
  } walker;
  walker.seen = {g.acc.name(), g.packed.name()};
  walker.fn = &fn;
  for (const Halide::Expr &e : out.function().definition().values())
    e.accept(&walker);
}

/// The buffers of at least two dims that a product's epilogue reads (the
/// pre-activation of a GELU backward, a residual).
std::vector<Halide::Internal::Parameter> epilogueInputs(Halide::Func out, const Gemm &g) {
  std::set<std::string> seen;
  std::vector<Halide::Internal::Parameter> found;
  forEachEpilogueCall(out, g, [&](const Halide::Internal::Call *c) {
    if (c->call_type == Halide::Internal::Call::Image && c->param.defined() &&
        c->args.size() >= 2 && seen.insert(c->name).second)
      found.push_back(c->param);
  });
  return found;
}

/// Whether a product's packed B serves every lead index (it has no lead
/// dims: a Linear's weight; LoweringGemm.cpp).
bool sharedPacked(const Gemm &g) {
  return g.panels || g.packed.dimensions() == int(g.k.size()) + 1;
}

/// A shared B in a product over lead dims (rows [N, T]) packed once per
/// call, before the samples run, instead of once per sample and strip
/// (32x for the attention block's batch): [32, 64, 128] x [128, 128] with
/// a residual 0.67 -> 0.61 ms, gpt's [16, 128, 64] x [64, 64] 0.19 ->
/// 0.18 ms (JIT, median of 40 interleaved calls); equal for the FFN's
/// [128, 512] and [512, 128] while stored [k, p], 11-14 % faster since it
/// is stored in panels (Gemm::panels). Returns the log, empty if not
/// applied.
std::string packShared(Gemm &g, bool lead, int lanes) {
  if (g.prepacked)
    return g.packed.name() + " inline (panels packed by an invariant kernel)";
  if (!lead || !sharedPacked(g))
    return "";
  std::vector<Var> pa = g.packed.args();
  g.packed.compute_root().vectorize(pa[0], lanes);
  std::string log = g.packed.name() + ".compute_root().vectorize(" + pa[0].name() + ")";
  if (g.P > 0 && g.K0 > 0 && g.P * g.K0 >= kParallelElements) {
    g.packed.parallel(pa.back());
    log += ".parallel(" + pa.back().name() + ")";
  }
  return log + " (B shared by every sample, packed once)";
}

/// Whether a product's epilogue calls a transcendental function (exp, erf,
/// tanh, ...: a GELU backward).
bool transcendentalEpilogue(Halide::Func out, const Gemm &g) {
  bool found = false;
  forEachEpilogueCall(out, g, [&](const Halide::Internal::Call *c) {
    found = found || c->call_type == Halide::Internal::Call::PureExtern;
  });
  return found;
}

/// Floats of one sample's product (T x p) staged for its epilogue: within
/// L2 (512 KiB a core) with room for the operands.
constexpr int64_t kStagedFloats = 65536;

/// A product over [N, T] rows whose epilogue is transcendental (the FFN's
/// GELU backward, gelu'(pre) * (dY W2)): each sample's product is computed
/// (register blocks, strips of B) into a buffer of its own, then the
/// epilogue streams over it, vectorized. In the register block the
/// epilogue's math on 12 vectors spilled and read the pre-activation a
/// 64-byte piece per row: 41 % of the kernel's samples (`perf annotate`).
/// Measured on [32, 64, 512] = [32, 64, 128] x [128, 512] with a GELU
/// backward, the kernel alone (JIT, median of 40 interleaved calls):
/// 4.4 -> 3.35 ms warm, 5.2 -> 4.3 ms with the inputs flushed from cache.
/// A residual add as the epilogue gained nothing this way (2.55 ms both
/// for [32, 64, 128] with k = 512), so it stays in the register block.
bool scheduleStaged(Halide::Func out, Gemm g, int lanes, std::string &log) {
  std::vector<Var> args = out.args();
  const int jr = 2 * lanes, ir = 6;
  if (args.size() != 3 || g.M < ir || g.P < jr || g.M * g.P > kStagedFloats ||
      !transcendentalEpilogue(out, g))
    return false;
  Var p = args[0], n = args[2];
  Halide::Func staged = g.acc.in(); // read by the product Func inlined into out
  std::vector<Var> sargs = staged.args();
  Var po("po"), pi("pi"), mo("mo"), mi("mi");
  staged.compute_at(out, n)
      .split(sargs[0], po, pi, jr, TailStrategy::ShiftInwards)
      .split(sargs[1], mo, mi, ir, TailStrategy::ShiftInwards)
      .reorder(pi, mi, mo, po)
      .vectorize(pi, lanes)
      .unroll(pi)
      .unroll(mi);
  accumulateInRegisters(staged, g, mo, lanes);
  std::string packedLog = packShared(g, true, lanes);
  if (packedLog.empty()) {
    g.packed.compute_at(staged, po).vectorize(g.packed.args()[0], lanes);
    packedLog = g.packed.name() + ".compute_at(po)";
  }
  vectorize(out, p, g.P, lanes, log);
  log += "; " + staged.name() + ".compute_at(" + n.name() + ").split(" + sargs[0].name() +
         ", po, pi, " + std::to_string(jr) + ").split(" + sargs[1].name() + ", mo, mi, " +
         std::to_string(ir) + ").reorder(pi, mi, mo, po) (each sample's product staged, " +
         "the epilogue streamed over it); " + g.acc.name() + ".compute_at(mo) " +
         std::to_string(jr / lanes) + "x" + std::to_string(lanes) + "x6 registers, k innermost; " +
         packedLog;
  return true;
}

/// Multiply-adds from which a product's column strips run over the
/// threads (rows at kTypicalBatch when they are the batch).
constexpr int64_t kParallelProduct = 32768;

/// Whether a product's column strips are worth a parallel loop: more than
/// one strip and enough work. A parallel loop costs microseconds to start
/// and a one-strip one is all cost: the frozen fine-tune's 10-class head
/// ([64, 2] x [2, 10], two strips) took 5.4-6.3 us a call in parallel,
/// 0.5-0.6 serially; its 16 -> 8 layer (one strip) 1.1-1.4 -> 0.7-0.8.
bool stripsWorthThreads(const Gemm &g, int jr) {
  int64_t k = g.K0; // g.k[0], the innermost; the batch's extent is unknown
  for (size_t q = 1; q < g.k.size(); ++q)
    k = k > 0 && constant(g.k[q].extent()) > 0 ? k * constant(g.k[q].extent()) : -1;
  if (g.P < 0 || k < 0)
    return true;
  int64_t m = g.M > 0 ? g.M : kTypicalBatch;
  return g.P > jr && m * g.P * k >= kParallelProduct;
}

void scheduleGemm(Halide::Func out, Gemm g, int lanes, Halide::Expr batch, bool specialize,
                  std::string &log) {
  std::vector<Var> args = out.args();
  Var p = args[0], m = args[1];
  // Whole panels of B per column strip: p / kPanelColumns is the strip, not
  // a vector of panel indices per load (ShiftInwards would shift a strip
  // that the extent does not divide).
  if (g.panels) {
    out.bound(p, 0, int(g.P));
    log += ".bound(" + p.name() + ", 0, " + std::to_string(g.P) + ")";
  }
  // Two vectors of columns per block, or one for products 1-2 vectors wide
  // (a 10-class head: 382 us -> see below for 128x512x10).
  const int jr = g.P >= 2 * lanes ? 2 * lanes : lanes, ir = 6;
  if (scheduleTransposed(out, g, lanes, log) || scheduleKBlocked(out, g, lanes, log) ||
      scheduleWideRows(out, g, lanes, log))
    return;
  std::vector<Var> accArgs = g.acc.args();
  Var ap = accArgs[0], am = accArgs[1];
  bool parallelLead = args.size() > 2;
  if (parallelLead) {
    out.parallel(args.back());
    log += ".parallel(" + args.back().name() + ")";
  }
  if (g.P < jr || (g.M >= 0 && g.M < ir)) {
    // Small: one output row at a time, the k loop outside the p vector.
    // The row's accumulator is sized by out's p extent: bound, it is a
    // constant and lives on the stack. Unbound it was a halide_malloc per
    // row: the seed autoencoder's 8 -> 4 and 4 -> 2 layers took 40 us a
    // call at batch 256 for ~3 us of arithmetic.
    if (g.P > 0 && !g.panels) {
      out.bound(p, 0, int(g.P));
      log += ".bound(" + p.name() + ", 0, " + std::to_string(g.P) + ")";
    }
    g.acc.compute_at(out, m);
    std::vector<Halide::VarOrRVar> order = {ap};
    order.insert(order.end(), g.k.begin(), g.k.end());
    order.push_back(am);
    g.acc.update().reorder(order);
    std::string accLog;
    // Whole vectors past the last column (packed clamps it below 16
    // columns): guarding the tail lanes inside the k loop cost 10x (792 us
    // for 128x512x10).
    TailStrategy tail = g.P < 16 ? TailStrategy::RoundUp : TailStrategy::GuardWithIf;
    vectorize(g.acc, ap, g.P, lanes, accLog, tail);
    vectorize(g.acc.update(), ap, g.P, lanes, accLog, tail);
    vectorize(out, p, g.P, lanes, log);
    // B packed once per call (a rank-2 B does not depend on the row);
    // read in place it was a strided gather per k: 1 ms for 128x512x10.
    if (sharedPacked(g) && !g.prepacked) {
      g.packed.compute_root();
      accLog += "; " + g.packed.name() + ".compute_root()";
    }
    log += "; " + g.acc.name() + ".compute_at(" + out.name() + ", " + m.name() + ")" + accLog;
    return;
  }
  Var po("po"), pi("pi"), mo("mo"), mi("mi");
  if (scheduleStaged(out, g, lanes, log))
    return;
  std::vector<Halide::Internal::Parameter> prefetched = epilogueInputs(out, g);
  bool parallelStrips = !parallelLead && stripsWorthThreads(g, jr);
  auto tile = [&](auto stage, int rows, TailStrategy tail) {
    stage.split(p, po, pi, jr, TailStrategy::ShiftInwards)
        .split(m, mo, mi, rows, tail)
        .reorder(pi, mi, mo, po)
        .vectorize(pi, lanes)
        .unroll(pi)
        .unroll(mi);
    if (parallelStrips)
      stage.parallel(po);
    // The epilogue reads its buffers a register block at a time down a
    // column strip, 64 bytes of a row every row, which the hardware does
    // not prefetch: fetched kPrefetchBlocks blocks ahead. The block's GELU
    // backward 3.3 -> 3.1 ms, its residual adds 2.5 -> 2.4 and 0.77 ->
    // 0.66 ms (best of 3, two orders).
    for (const Halide::Internal::Parameter &param : prefetched)
      stage.prefetch(param, mo, mo, kPrefetchBlocks);
  };
  // Rows over the batch: a batch of at least one row block shifts its last
  // block inwards like a static dim. Guarded rows inside the k loop made the
  // forward products 2x slower (40 vs 90 GFLOP/s for 128x784x512). In
  // train_step a smaller batch (a last partial batch of under 6 rows) takes
  // a row at a time: as 6 guarded rows that second copy was most of the
  // products' compile time (seed autoencoder, the 28 products of
  // train_step: 7.3 s to compile, 2.9 s without it).
  if (g.M < 0 && specialize) {
    tile(out.specialize(batch >= ir), ir, TailStrategy::ShiftInwards);
    tile(out, 1, TailStrategy::RoundUp);
  } else {
    tile(out, ir, g.M >= 0 ? TailStrategy::ShiftInwards : TailStrategy::GuardWithIf);
  }
  accumulateInRegisters(out, g, mo, lanes);
  std::string packedLog = packShared(g, parallelLead, lanes);
  if (packedLog.empty()) {
    g.packed.compute_at(out, po).vectorize(g.packed.args()[0], lanes);
    packedLog = g.packed.name() + ".compute_at(po)";
  }
  for (const Halide::Internal::Parameter &param : prefetched)
    log += ".prefetch(" + param.name() + ", mo, " + std::to_string(kPrefetchBlocks) + ")";
  log += ".split(" + p.name() + ", po, pi, " + std::to_string(jr) + ").split(" + m.name() +
         ", mo, mi, " + std::to_string(ir) + ").reorder(pi, mi, mo, po).vectorize(pi, " +
         std::to_string(lanes) + ").unroll(pi).unroll(mi)" +
         (parallelStrips ? ".parallel(po)" : "") + "; " + g.acc.name() +
         ".compute_at(mo) " + std::to_string(jr / lanes) + "x" + std::to_string(lanes) +
         "x6 registers, k innermost; " + packedLog +
         (g.M < 0 ? specialize
                        ? "; rows shifted inwards when batch >= 6 (specialize), else one at a time"
                        : "; rows guarded"
                  : "");
}

} // namespace

void mlc::hl::scheduleCPU(const LoweredFunction &fn, Kernel &kernel,
                          const Halide::Target &target) {
  // Natural vector width in f32 lanes: 16 with AVX-512, 8 with AVX2.
  int lanes = target.natural_vector_size(Halide::Float(32));
  std::set<std::string> outputs;
  for (const Halide::Func &f : kernel.outputs)
    outputs.insert(f.name());
  std::set<std::string> done =
      scheduleProducts(fn, kernel, [&](Halide::Func f, const Gemm &g, std::string &log) {
        scheduleGemm(f, g, lanes, fn.batch, fn.name == "train_step", log);
      });

  // All Funcs reachable from the outputs, in a stable (name) order.
  std::map<std::string, Halide::Internal::Function> all = kernelFuncs(kernel);
  std::map<std::string, bool> ownerSplits; // row helpers' owner -> row by row
  // A row statistic ([..., 1]) whose reductions read the contiguous row can
  // keep partial sums in a vector; a whole-row helper (softmax's exp) is
  // computed along its row, on the stack. gpt's softmax on [16, 4, 128,
  // 128]: 1.2-1.3 ms a call with 8 rows in lanes (loads gathered from 8
  // rows), 0.59 ms a row at a time.
  auto rowLength = [&](const std::string &h) {
    auto hs = fn.shapes.find(h);
    return hs != fn.shapes.end() && !hs->second.empty() ? constant(hs->second.back()) : -1;
  };
  auto splittable = [&](const std::string &h) {
    Halide::Func hf(all.at(h));
    if (rowLength(h) != 1) // a row of static length, on the stack
      return hf.num_update_definitions() == 0 && rowLength(h) > 0 && rowLength(h) <= kStackRow;
    for (int u = 0; u < hf.num_update_definitions(); ++u)
      if (!canSplitRow(hf, u, lanes, true))
        return false;
    return hf.num_update_definitions() > 0;
  };
  // The Func whose loop over rows computes a helper: its op's own output,
  // a helper at root (layer norm backward's row statistics), or the
  // elementwise reader the op is fused into (softmax_grad's scale by
  // 1/sqrt(d), same shape).
  auto ownerOf = [&](const std::string &owner) -> std::string {
    if (!all.count(owner))
      return "";
    if (!fn.inlined.count(owner))
      return owner;
    if (kernel.outputs.size() == 1 &&
        Halide::Func(all.at(owner)).dimensions() == kernel.outputs[0].dimensions())
      return kernel.outputs[0].name();
    return "";
  };
  // The elements a root Func's loop nest visits: its own, and per row the
  // row its helpers reduce (computed in its row loop, below). Layer norm
  // backward's row statistics ([N, T, 1], a mean and a variance over rows
  // of 128) are few values but read the whole input: counted by their
  // outputs alone they were a serial pass over it (the block's layer norm
  // backward 388 -> 324 us a call with them in parallel).
  std::map<std::string, int64_t> helperRow;
  for (const auto &[helper, where] : fn.rowOf) {
    if (!all.count(helper))
      continue;
    Halide::Func h(all.at(helper));
    for (int u = 0; u < h.num_update_definitions(); ++u)
      for (const auto &r : h.update(u).get_schedule().rvars())
        helperRow[where.first] = std::max(helperRow[where.first], constant(r.extent));
  }
  auto work = [&](const std::string &name) {
    const std::vector<Halide::Expr> &shape = fn.shapes.at(name);
    int64_t n = elements(shape), last = shape.empty() ? 1 : constant(shape.back());
    return helperRow.count(name) && last > 0 ? n + n / last * helperRow[name] : n;
  };
  std::set<std::string> hosts; // Funcs with row helpers computed in their loops
  for (const auto &[helper, where] : fn.rowOf)
    if (all.count(helper))
      hosts.insert(ownerOf(where.first));
  for (auto &[name, function] : all) {
    if (done.count(name))
      continue;
    Halide::Func f(function);
    std::vector<Var> args = f.args();
    std::string log = name;
    if (fn.inlined.count(name)) {
      kernel.scheduleLog.push_back(name + ".compute_inline();");
      continue;
    }
    auto shape = fn.shapes.find(name);
    auto row = fn.rowOf.find(name);
    std::string ownerName = row != fn.rowOf.end() ? ownerOf(row->second.first) : "";
    if (!ownerName.empty()) {
      // A row helper: computed per row inside its owner's loop, so a row is
      // read while it is in cache.
      Halide::Func owner(all.at(ownerName));
      int at = row->second.second + 1;
      const std::vector<Halide::Expr> *fshape =
          shape != fn.shapes.end() ? &shape->second : nullptr;
      int64_t rows = fshape && fshape->size() >= 2 ? constant((*fshape)[fshape->size() - 2]) : -1;
      // Row by row only where every helper of the owner can (decided
      // before the first of them is split).
      if (!ownerSplits.count(row->second.first)) {
        bool every = at < owner.dimensions();
        for (const auto &[other, where] : fn.rowOf)
          if (where.first == row->second.first && all.count(other))
            every = every && splittable(other);
        ownerSplits[row->second.first] = every;
      }
      bool splitRows = ownerSplits[row->second.first];
      if (splitRows) {
        // Contiguous rows: each row's statistic from `lanes` partial sums
        // (whole-vector loads) inside the owner's row loop. With the rows
        // in lanes instead each load gathered 8 rows: layer norm's
        // backward on [32, 64, 128] 0.75 -> 0.45 ms a call, its forward
        // ~0.3 ms -> under 0.5 % of the attention block's step.
        f.compute_at(owner, owner.args()[at]);
        log += ".compute_at(" + owner.name() + ", " + owner.args()[at].name() + ")";
        if (rowLength(name) == 1) { // a statistic
          for (int u = 0; u < f.num_update_definitions(); ++u)
            splitRowReduction(f, u, lanes, true, log);
        } else {
          // On the heap, Halide allocated the row per row: 7.7 ms a call.
          vectorize(f, args[0], constant(fshape->back()), lanes, log);
          f.store_in(Halide::MemoryType::Stack);
          log += ".store_in(Stack)";
        }
        kernel.scheduleLog.push_back(log + ";  // (" + varList(f) + ")");
        continue;
      }
      if (row->second.second == 0 && at + 1 < owner.dimensions() && rows >= lanes) {
        // Reductions along the contiguous dim, many rows (attention scores
        // [N, heads, T, T]): the statistics of a whole block of rows at
        // once, one row per vector lane, so the reduction is not one serial
        // chain per row (gpt's softmax took 9 ms a call that way).
        f.compute_at(owner, owner.args()[at + 1]);
        log += ".compute_at(" + owner.name() + ", " + owner.args()[at + 1].name() + ")";
        if (constant(fshape->back()) == 1) { // a per-row statistic
          f.vectorize(args[1], lanes, TailStrategy::ShiftInwards);
          for (int u = 0; u < f.num_update_definitions(); ++u) {
            Halide::RVar r(f.update(u).get_schedule().rvars()[0].var);
            Var ro("ro"), ri("ri");
            f.update(u)
                .split(args[1], ro, ri, lanes, TailStrategy::GuardWithIf)
                .reorder(ri, r, ro)
                .vectorize(ri);
          }
          log += ".vectorize(" + args[1].name() + ", " + std::to_string(lanes) +
                 ") rows in lanes, the reduction outside them";
        } else {
          vectorize(f, args[0], constant(fshape->back()), lanes, log);
        }
        kernel.scheduleLog.push_back(log + ";  // (" + varList(f) + ")");
        continue;
      }
      if (at < owner.dimensions()) {
        f.compute_at(owner, owner.args()[at]);
        log += ".compute_at(" + owner.name() + ", " + owner.args()[at].name() + ")";
      } else {
        f.compute_root();
        log += ".compute_root()";
      }
      if (shape != fn.shapes.end() && !shape->second.empty())
        vectorize(f, args[0], constant(shape->second.back()), lanes, log);
      for (int u = 0; u < f.num_update_definitions(); ++u)
        f.update(u).unscheduled();
      kernel.scheduleLog.push_back(log + ";  // (" + varList(f) + ")");
      continue;
    }
    if (!outputs.count(name)) {
      f.compute_root();
      log += ".compute_root()";
    }
    // Known extents: bounds inference need not combine the regions every
    // consumer asks for, and vector tails can shift inwards.
    if (shape != fn.shapes.end() && !outputs.count(name))
      for (size_t k = 0; k < args.size() && k < shape->second.size(); ++k)
        f.bound(args[k], 0, shape->second[shape->second.size() - 1 - k]);
    if (!args.empty()) {
      int64_t inner = shape != fn.shapes.end() && !shape->second.empty()
                          ? constant(shape->second.back())
                          : -1;
      // A merged dim read a contiguous run at a time: its index's division
      // and modulo by the run vanish within a run, so the vectors load
      // whole (the attention's merged heads, 4 x 32 -> 128: scalar loads,
      // 100-130 us a call for 1 MB, before).
      auto merged = fn.mergedRun.find(name);
      if (merged != fn.mergedRun.end() && merged->second % lanes == 0 && inner > merged->second &&
          inner % merged->second == 0) {
        Var run("run"), at("at");
        // Bound, so that every run starts at a multiple of its length.
        f.bound(args[0], 0, int(inner)).split(args[0], run, at, int(merged->second));
        log += ".bound(" + args[0].name() + ", 0, " + std::to_string(inner) + ").split(" +
               args[0].name() + ", run, at, " + std::to_string(merged->second) + ")";
        vectorize(f, at, merged->second, lanes, log);
      } else {
        vectorize(f, args[0], inner, lanes, log);
      }
      if (args.size() > 1 && (shape == fn.shapes.end() || work(name) >= kParallelElements)) {
        if (!parallelInHalves(f, fn, name, outputs.count(name), hosts.count(name), log)) {
          f.parallel(args.back());
          log += ".parallel(" + args.back().name() + ")";
        }
      }
    }
    // Update definitions (reductions, scatters): partial sums in a vector,
    // or the contiguous dim vectorized, or serial.
    for (int u = 0; u < f.num_update_definitions(); ++u) {
      if (args.empty() && splitTotalReduction(f, u, lanes, log))
        continue;
      bool unitInner = shape != fn.shapes.end() && !shape->second.empty() &&
                       constant(shape->second.back()) == 1;
      if (splitRowReduction(f, u, lanes, unitInner, log) ||
          (!unitInner && !outputs.count(name) && splitBatchInHalves(f, u, lanes, log)) ||
          (!unitInner && vectorizeKeptDim(f, u, lanes, log)))
        continue;
      f.update(u).unscheduled();
    }
    kernel.scheduleLog.push_back(log + ";  // (" + varList(f) + ")");
  }
  if (kernel.op && llvm::isa<mlc::AdamUpdateOp, mlc::SgdUpdateOp>(kernel.op))
    fuseOptimizerOutputs(kernel);
}

namespace {

/// Elements of a reduction's output (kernels for any extents) from which its
/// rows run over the threads.
constexpr int64_t kParallelRows = int64_t(1) << 20;

/// Elements of an optimizer update from which its outermost dim is split in
/// two halves over the threads, decided at run time (one compiled copy
/// serves every parameter of a rank). Memory-bound: in the autoencoder
/// b256's step its rows over the threads, a task a row, lost everywhere
/// ([256, 1000] 260-310 -> 275-340 us, [1000, 256] 285-340 -> 520-690, [16,
/// 64] 12 -> 27 us; best of 5 alternating runs). Two tasks won (three
/// alternating runs each): the MLP's [512, 784] and [512, 512] 370-520 ->
/// 280-400 and 265-490 -> 180-320 us, the autoencoder b256's updates 670-740
/// -> 536-597 us a step in all, the small ones as before (one task).
constexpr int64_t kParallelUpdate = int64_t(1) << 16;

bool isOptimizerUpdate(const Kernel &kernel) {
  return kernel.op && llvm::isa<mlc::AdamUpdateOp, mlc::SgdUpdateOp>(kernel.op);
}

/// An optimizer update's outputs (the parameter and its state, computed in
/// one loop) split along their outermost dim in two halves over the
/// threads when the update has at least kParallelUpdate elements, else one
/// task.
void splitUpdateInHalves(Kernel &kernel) {
  if (kernel.outputs[0].dimensions() < 2)
    return;
  Halide::OutputImageParam o = kernel.outputs[0].output_buffer();
  int outer = o.dimensions() - 1;
  Halide::Expr rows = o.dim(outer).extent(), n = rows;
  for (int d = 0; d < outer; ++d)
    n *= o.dim(d).extent();
  Halide::Expr factor = Halide::select(n < int(kParallelUpdate), rows, (rows + 1) / 2);
  for (Halide::Func out : kernel.outputs) {
    Var ho("ho"), hi("hi");
    out.split(out.args().back(), ho, hi, factor, TailStrategy::GuardWithIf).parallel(ho);
    kernel.scheduleLog.push_back(out.name() + ".split(" + out.args().back().name() +
                                 ", ho, hi, elements < " + std::to_string(kParallelUpdate) +
                                 " ? rows : (rows + 1) / 2)" +
                                 ".parallel(ho);");
  }
}

} // namespace

bool mlc::hl::anyShapeParallel(const Kernel &kernel) {
  return !isOptimizerUpdate(kernel) && !kernel.outputShapes.empty() &&
         kernel.outputShapes[0].size() > 1 && elementsOf(kernel.outputShapes[0]) >= kParallelRows;
}

void mlc::hl::scheduleAnyShapeCPU(Kernel &kernel, const Halide::Target &target) {
  int lanes = target.natural_vector_size(Halide::Float(32));
  std::set<std::string> outputs;
  for (const Halide::Func &f : kernel.outputs)
    outputs.insert(f.name());
  // Every stage: vectors along the contiguous dim (extents unknown, so the
  // last vector is guarded) and, for the outputs, rows over the threads;
  // helpers (Adam's 0-d bias corrections, a reduction's sum) at root; a
  // reduction that keeps the contiguous dim vectorizes it inside its loop.
  for (auto &[name, function] : kernelFuncs(kernel)) {
    Halide::Func f(function);
    std::vector<Var> args = f.args();
    std::string log = name;
    if (!outputs.count(name)) {
      f.compute_root();
      log += ".compute_root()";
    }
    if (!args.empty()) {
      f.vectorize(args[0], lanes, TailStrategy::GuardWithIf);
      log += ".vectorize(" + args[0].name() + ", " + std::to_string(lanes) + ")";
      if (args.size() > 1 && outputs.count(name) && anyShapeParallel(kernel)) {
        f.parallel(args.back());
        log += ".parallel(" + args.back().name() + ")";
      }
    }
    for (int u = 0; u < f.num_update_definitions(); ++u)
      if (!(!outputs.count(name) && splitBatchInHalves(f, u, lanes, log, false)) &&
          !vectorizeKeptDim(f, u, lanes, log))
        f.update(u).unscheduled();
    kernel.scheduleLog.push_back(log + ";  // any extents");
  }
  if (isOptimizerUpdate(kernel)) {
    splitUpdateInHalves(kernel);
    fuseOptimizerOutputs(kernel);
  }
}
