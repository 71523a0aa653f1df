//===- Lowering.h - One Halide Func per mlc op ------------------*- C++ -*-===//
//
// THE ALGORITHM: each op of a function becomes a Halide Func over the op's
// result shape. Row-major tensor index i[0..r) maps to Halide dims in reverse
// (Halide's dim 0 is innermost), so the last tensor dim is contiguous. The
// batch dim N is the extent of the first batched input buffer.
// THE SCHEDULE is applied separately (Schedule.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef MLC_TARGET_HALIDE_LOWERING_H
#define MLC_TARGET_HALIDE_LOWERING_H

#include "mlc/Target/Halide/Codegen.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"

#include <Halide.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mlc::hl {

using Index = std::vector<Halide::Expr>; // row-major

/// Index and reduction helpers shared by the op lowerings.
/// An RDom whose first (innermost) dimension is the last of `extents`, so it
/// iterates in row-major order; coords() reads it back row-major.
inline Halide::RDom rdom(const std::vector<Halide::Expr> &extents, const std::string &name) {
  std::vector<Halide::Range> ranges;
  for (auto it = extents.rbegin(); it != extents.rend(); ++it)
    ranges.emplace_back(0, *it);
  return Halide::RDom(ranges, name);
}
inline Index coords(const Halide::RDom &r, size_t n) {
  Index at;
  for (size_t q = 0; q < n; ++q)
    at.push_back(r[n - 1 - q]);
  return at;
}
/// `i` with one more (innermost) coordinate.
inline Index with(Index i, Halide::Expr last) {
  i.push_back(last);
  return i;
}
inline Halide::Expr product(const std::vector<Halide::Expr> &extents) {
  Halide::Expr p = Halide::Expr(int32_t(1));
  for (const Halide::Expr &e : extents)
    p = p * e;
  return p;
}
inline Halide::Expr f32(double v) { return Halide::cast<float>(Halide::Expr(v)); }

/// A tensor value: a Func (or input buffer) plus its row-major extents.
struct Tensor {
  Halide::Func func;
  std::optional<Halide::ImageParam> image; // inputs are read from the buffer directly
  std::vector<Halide::Expr> shape;
  std::vector<int64_t> staticShape; // mlir::ShapedType::kDynamic for N
  Halide::Type type;
  mlir::Operation *op = nullptr; // the defining op (null for arguments)

  size_t rank() const { return shape.size(); }
  Halide::Expr operator()(const Index &i) const;
};

/// One AOT Halide pipeline of a function: an op (with the elementwise ops
/// fused into it) whose results are its outputs. Kernels read the function's
/// arguments and earlier kernels' results through ImageParams, so each is
/// lowered on its own: Halide's lowering is superlinear in the depth of a
/// pipeline (one train_step of the seed autoencoder as a single pipeline:
/// 140 s in fork_async_producers alone).
struct Kernel {
  std::string name;                   // a C symbol, unique in the module
  mlir::Operation *op = nullptr;      // null for a copy to a function result
  std::vector<Halide::Func> outputs;
  std::vector<int> outputSlots;       // where each output goes
  std::vector<std::vector<int64_t>> outputShapes; // kDynamic for N
  std::vector<Halide::Argument> args; // the inputs Halide infers, in order
  std::vector<int> argSlots;          // kBatchSlot (-1) for the batch size
  std::vector<std::string> scheduleLog; // the schedule, as Halide calls
  /// Set when an earlier kernel computes the same thing from the same
  /// argument positions (eval_step's and predict's forward kernels are
  /// train_step's; a repeated block's kernels are the first block's; every
  /// Adam update of a rank is the first one's, see anyShape): its name,
  /// whose compiled code this kernel calls.
  std::string sameAs;
  /// Compiled for any extents (its inputs' and outputs' extents are free):
  /// kernels that differ only in shapes share one compiled copy.
  bool anyShape = false;
  /// Reads only frozen parameters (a frozen weight packed for the products
  /// that read it): its outputs are kept temps, and the runtime runs it
  /// again only when those parameters may have changed.
  bool invariant = false;
};

/// Every Func a kernel computes: its outputs and all they call (the Funcs
/// of its fused ops and the helpers Halide makes for inline reductions), by
/// name.
inline std::map<std::string, Halide::Internal::Function> kernelFuncs(const Kernel &k) {
  std::map<std::string, Halide::Internal::Function> all;
  for (const Halide::Func &out : k.outputs) {
    all[out.name()] = out.function();
    for (const auto &[name, f] : Halide::Internal::find_transitive_calls(out.function()))
      all[name] = f;
  }
  return all;
}

/// A matrix product C[..., m, p] = sum_k A[..., m, k] B[..., k, p] (+ an
/// elementwise epilogue), written so that its schedule can be a register-
/// blocked micro-kernel: `acc` accumulates (Halide coords (p, m, ...)) over
/// `k` (one or more dims: a weight gradient sums over every position of a
/// [N, T, C] input), reading B through `packed` (coords (p, k..., ...), p
/// contiguous).
struct Gemm {
  Halide::Func acc, packed;
  std::vector<Halide::RVar> k; // the reduction, innermost first
  int64_t P = -1, M = -1; // static extents, -1 for N
  int64_t K0 = -1;        // static extent of k[0], -1 if it involves N
  // A weight gradient: k runs over positions, the rows of both operands, so
  // A is read a row apart per k step (not along a row like a forward
  // product's input).
  bool kAlongRows = false;
  // A weight gradient's A as a Func of its own, rows(m, k...) = A[k..., m]
  // (inline unless a schedule packs it; see scheduleTransposed).
  Halide::Func rows;
  // B shared by every lead index, packed in panels of kPanelColumns
  // columns: packed(pi, k..., po) = B[k..., po * kPanelColumns + pi].
  bool panels = false;
  // `packed` only reads those panels from a buffer that an invariant kernel
  // wrote (B is a frozen parameter): nothing to schedule.
  bool prepacked = false;
};

/// Columns of a packed panel of B: a register block's (2 AVX2 vectors).
inline constexpr int kPanelColumns = 16;

/// A Func's pure vars, "d0, d1, ..." (the schedule logs end with them).
inline std::string varList(const Halide::Func &f) {
  std::string s;
  for (const Halide::Var &v : f.args())
    s += (s.empty() ? "" : ", ") + v.name();
  return s;
}

/// A buffer between kernels: an op result that is not a function result.
struct Temp {
  Halide::ImageParam image;
  std::vector<int64_t> shape; // mlir::ShapedType::kDynamic for N
  int first = -1, last = -1;  // kernels that write and last read it
  bool kept = false; // an invariant kernel's output: alive across calls
};

/// The lowered function: slots [0, numArgs + numResults) are its arguments
/// then its results (the runtime's FunctionSpec order), then the temps.
struct LoweredFunction {
  std::string name;
  unsigned numArgs = 0, numResults = 0;
  int batchArg = -1; // the argument whose outermost extent is N
  std::vector<Halide::ImageParam> inputs; // function argument order
  std::vector<std::vector<int64_t>> inputShapes; // kDynamic for N
  Halide::Param<int32_t> batch{"batch"};  // N, shared with the kernels
  std::vector<Kernel> kernels;
  std::vector<Temp> temps;
  std::vector<Halide::Func> funcs;        // every Func defined, in order
  std::set<std::string> inlined;          // Funcs of ops fused into their consumer
  std::map<std::string, std::vector<Halide::Expr>> shapes; // row-major extents by Func
  std::map<std::string, Gemm> gemms; // by the Func of the product
  /// Per-row helpers (softmax's max and sum, layer norm's statistics): the
  /// op's output Func and the Halide dim they reduce (computed inside the
  /// owner's loop over the dim above it).
  std::map<std::string, std::pair<std::string, int>> rowOf;
  /// Reshapes whose last dim merges input dims (the attention's heads
  /// merged back, [N, T, 4, 32] -> [N, T, 128]): the input's last extent,
  /// the run of the output's last dim over which only the input's last
  /// index moves.
  std::map<std::string, int64_t> mergedRun;
};

class FunctionLowering {
public:
  /// `gpu`: products clamp their operand reads, so that a GPU schedule may
  /// compute whole tiles past the edges (their results are never stored).
  /// `manualCPU`, for the manual CPU schedule only: optimizer updates and
  /// reductions of a buffer over leading dims are lowered for any extents
  /// (scheduleAnyShapeCPU), and a B shared by every lead index is packed in
  /// panels (LoweringGemm.cpp).
  FunctionLowering(mlir::func::FuncOp fn, bool gpu, bool manualCPU)
      : fn_(fn), gpu_(gpu), manualCPU_(manualCPU) {}
  /// Builds the algorithm; false (with a diagnostic at the op) on failure.
  bool run(LoweredFunction &out);

private:
  bool lower(mlir::Operation *op);
  /// Layers, losses, their gradients and the optimizer updates.
  bool lowerNN(mlir::Operation *op, const std::string &name);
  /// Losses, metrics, max_grad and the optimizer updates.
  bool lowerLosses(mlir::Operation *op, const std::string &name);
  /// sum (kind 0), mean (1), max (2) over `axes`.
  bool lowerReduction(mlir::Value result, mlir::Value input, llvm::ArrayRef<int64_t> axes,
                      bool keepdim, int kind, const std::string &name);
  /// Defines `result` as a Gemm reducing over extents `K` (row-major);
  /// `a(lead, m, k)` and `b(lead, k, p)` read the operands (k: one index per
  /// K dim), `epilogue(acc, i)` finishes each element.
  using Operand = std::function<Halide::Expr(const Index &, Halide::Expr, const Index &)>;
  using OperandB = std::function<Halide::Expr(const Index &, const Index &, Halide::Expr)>;
  Tensor gemm(mlir::Value result, const std::string &name, const std::vector<Halide::Expr> &K,
              const Operand &a, const OperandB &b,
              const std::function<Halide::Expr(Halide::Expr, const Index &)> &epilogue);
  void bind(mlir::Value v, Tensor t);
  /// Makes `op` a kernel: its results become temps read through ImageParams.
  void materialize(mlir::Operation *op, const std::string &name);
  /// Infers each kernel's arguments and assigns slots and live ranges.
  void link();
  Tensor define(mlir::Value v, const std::string &name,
                const std::function<Halide::Expr(const Index &)> &body);
  Tensor define(const std::string &name, const std::vector<Halide::Expr> &shape,
                const std::vector<int64_t> &staticShape, Halide::Type type,
                const std::function<Halide::Expr(const Index &)> &body);
  /// A copy: values_ grows (and may move) while an op is lowered.
  Tensor get(mlir::Value v) { return values_.lookup(v); }
  std::vector<Halide::Expr> shapeOf(mlir::Value v);
  /// The index into an operand broadcast to `outRank` dims.
  Index broadcastIndex(const Index &i, const Tensor &operand);
  std::string name(mlir::Operation *op);
  /// `operands` read through ImageParams of the same names whose extents are
  /// free, for a kernel compiled once for every shape (false, unchanged,
  /// when one is computed in the kernel rather than read from a buffer).
  bool freeExtents(std::vector<Tensor *> operands, mlir::Operation *op);
  /// `t` as an output of kernel `k` (not yet in the function's list)
  /// into a new temp read through the returned ImageParam `name`; `kept`:
  /// an invariant kernel's output, alive across calls.
  Halide::ImageParam addTemp(Kernel &k, const Tensor &t, const std::string &name,
                             bool kept = false);
  /// A kernel of its own for `packed`, the panels of a frozen weight (all
  /// extents static): its output is a kept temp (the runtime computes it
  /// once, not every step). Returns that temp's ImageParam.
  Halide::ImageParam materializeInvariant(const Tensor &packed);
  /// Whether `e` reads nothing but frozen parameters' buffers.
  bool readsOnlyFrozen(const Halide::Expr &e) const;

  mlir::func::FuncOp fn_;
  bool gpu_ = false;
  bool manualCPU_ = false;
  std::set<mlir::Operation *> anyShapeOps_; // lowered by freeExtents
  llvm::DenseMap<mlir::Value, Tensor> values_;
  Halide::Param<int32_t> batch_{"batch"}; // N, a scalar argument of kernels
  unsigned counter_ = 0;
  LoweredFunction *out_ = nullptr;
  std::map<std::string, int> argSlot_;  // function argument ImageParam -> slot
  std::set<std::string> frozenArgs_;    // ImageParams of frozen parameters
  std::map<std::string, int> tempOf_;   // temp ImageParam -> index into temps
  std::map<int, int> resultSlot_;       // temps that are function results

};

/// The functions code generation compiles, in the order they are emitted.
inline constexpr const char *kEntryPoints[] = {"train_step", "eval_step", "predict"};

/// The target of `options` ("host", "cuda", "opencl" or a Halide target
/// string); diagnosed when invalid or when the scheduler cannot serve it.
mlir::FailureOr<Halide::Target> parseTarget(mlir::ModuleOp module,
                                            const CodegenOptions &options);

/// Lowers and schedules one entry point with `scheduler` ("manual" or an
/// autoscheduler's name); Halide errors become diagnostics.
mlir::LogicalResult buildPipeline(mlir::func::FuncOp fn, const Halide::Target &target,
                                  const std::string &scheduler, LoweredFunction &out);

/// Schedules one kernel with Halide's autoscheduler `name` ("adams2019",
/// "li2018", "mullapudi2016"), the batch estimated at `batch`; the schedule
/// it chose goes to `kernel.scheduleLog`. Throws Halide::Error.
void autoSchedule(LoweredFunction &fn, Kernel &kernel, const std::string &name,
                  const Halide::Target &target, int64_t batch);

/// Applies the CPU schedule chosen by the schedule pass to one kernel,
/// recording each directive in `kernel.scheduleLog`.
void scheduleCPU(const LoweredFunction &fn, Kernel &kernel, const Halide::Target &target);

/// The CPU schedule of a kernel compiled for any shape (Kernel::anyShape).
void scheduleAnyShapeCPU(Kernel &kernel, const Halide::Target &target);

/// Whether such a kernel runs its rows over the threads: only for outputs
/// large enough (its first output's static shape), so kernels that share
/// compiled code must agree on it.
bool anyShapeParallel(const Kernel &kernel);

/// The same for a GPU target (CUDA, OpenCL): every stage runs on the device.
void scheduleGPU(const LoweredFunction &fn, Kernel &kernel);

inline constexpr int kBatchSlot = -1;

/// Schedules every product a kernel computes itself (not one fused into an
/// epilogue's kernel), in name order, with `schedule(f, gemm, log)`; f is
/// computed at root first unless it is an output. Returns the Funcs the
/// products cover (each product, its acc and packed).
template <typename ScheduleFn>
std::set<std::string> scheduleProducts(const LoweredFunction &fn, Kernel &kernel,
                                       ScheduleFn schedule) {
  std::set<std::string> outputs, done, before;
  for (const Halide::Func &f : kernel.outputs)
    outputs.insert(f.name());
  for (auto &[name, function] : kernelFuncs(kernel)) {
    before.insert(name);
    auto gemm = fn.gemms.find(name);
    if (gemm == fn.gemms.end() || fn.inlined.count(name)) // an epilogue's kernel computes it
      continue;
    Halide::Func f(function);
    std::string log = name;
    if (!outputs.count(name)) {
      f.compute_root();
      log += ".compute_root()";
    }
    schedule(f, gemm->second, log);
    kernel.scheduleLog.push_back(log + ";  // (" + varList(f) + ")");
    done.insert({name, gemm->second.acc.name(), gemm->second.packed.name()});
    if (gemm->second.rows.defined())
      done.insert(gemm->second.rows.name());
  }
  // Funcs a product's schedule created (rfactor's partial sums) are its own.
  for (auto &[name, function] : kernelFuncs(kernel))
    if (!before.count(name))
      done.insert(name);
  return done;
}

/// One Func's definitions as `--emit=halide` prints them.
void printFunc(const Halide::Func &f, llvm::raw_ostream &os);

} // namespace mlc::hl

#endif // MLC_TARGET_HALIDE_LOWERING_H
