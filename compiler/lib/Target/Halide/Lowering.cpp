//===- Lowering.cpp - One Halide Func per mlc op --------------------------===//
//
// THE ALGORITHM of every op, written as Halide definitions over the op's
// result index i (row-major). Reductions use explicit RDoms over static
// extents or over the batch extent N (over the buffer's own extents in a
// kernel compiled for any shape, freeExtents). Nothing here decides where
// or how a Func is computed: that is the schedule's job.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlc/Dialect/MLC/MLCOps.h"
#include "mlc/Dialect/MLC/ShapeUtils.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlc;
using namespace mlc::hl;
using Halide::Expr;
using Halide::Func;
using Halide::RDom;
using Halide::Var;
using mlir::Value;

Expr Tensor::operator()(const Index &i) const {
  std::vector<Expr> args(i.rbegin(), i.rend());
  // A buffer is read directly, not through the wrapper Func ImageParam's
  // operator() adds (which Li2018 cannot schedule).
  if (image)
    return Halide::Internal::Call::make(image->parameter(), args);
  return func(args);
}

namespace {

/// THE SCHEDULE's first decision, made by -mlc-schedule: "fuse" ops are
/// computed inside their consumer's loop.
bool fuseIntoConsumer(mlir::Operation *op) {
  auto s = op->getAttrOfType<mlir::StringAttr>("mlc.schedule");
  return s && s.getValue() == "fuse";
}

} // namespace

namespace {

Halide::Type halideType(mlir::Type t) {
  return mlir::isa<mlir::FloatType>(t) ? Halide::Float(32) : Halide::Int(64);
}

mlir::RankedTensorType tensorType(Value v) { return mlir::cast<mlir::RankedTensorType>(v.getType()); }

/// GELU's derivative Phi(x) + x phi(x) with one exponential: Abramowitz &
/// Stegun 7.1.26 writes erfc(z) = t P(t) exp(-z^2), t = 1 / (1 + p z)
/// (|error| <= 1.5e-7), and for z = |x| / sqrt(2) that exp(-x^2 / 2) is
/// phi's too. Halide's erf evaluates two polynomials, a power and a
/// division besides: the derivative of [2048, 512] alone took 1.12 ms,
/// this 0.75 ms (JIT, median of 60, 2 threads; max error against double
/// precision 2.7e-7 vs 2.3e-7). The forward GELU has no phi to share and
/// was no faster this way; it uses erfRational.
Expr geluDerivative(Expr x) {
  Expr e = Halide::exp(-0.5f * x * x);
  Expr t = 1.0f / (1.0f + f32(0.3275911 * M_SQRT1_2) * Halide::abs(x));
  Expr poly =
      t * (0.254829592f +
           t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
  Expr tail = 0.5f * poly * e; // Phi(-|x|)
  Expr cdf = Halide::select(x >= 0.0f, 1.0f - tail, tail);
  return cdf + x * e * f32(0.3989422804014327);
}

/// erf as an odd rational function of x in [-4, 4] (outside it erf is +-1
/// in f32), the coefficients Eigen's and XLA's f32 erf use: a degree-13
/// numerator over a degree-8 denominator, one division. Max error against
/// double precision 4.2e-7 over [-10, 10] (f32 evaluation, 2M points).
/// Halide's erf evaluates two polynomials and selects, with a power and a
/// division: the attention block's GELU over [32, 64, 512] took 620-780
/// us a call with it, 450-510 us with this (three alternating runs).
Expr erfRational(Expr x) {
  static const double alpha[] = {-1.60960333262415e-02, -2.95459980854025e-03,
                                 -7.34990630326855e-04, -5.69250639462346e-05,
                                 -2.10102402082508e-06, 2.77068142495902e-08,
                                 -2.72614225801306e-10};
  static const double beta[] = {-1.42647390514189e-02, -7.37332916720468e-03,
                                -1.68282697438203e-03, -2.13374055278905e-04,
                                -1.45660718464996e-05};
  Expr c = Halide::clamp(x, -4.0f, 4.0f), c2 = c * c;
  Expr p = f32(alpha[6]), q = f32(beta[4]);
  for (int i = 5; i >= 0; --i)
    p = p * c2 + f32(alpha[i]);
  for (int i = 3; i >= 0; --i)
    q = q * c2 + f32(beta[i]);
  return c * p / q;
}

} // namespace

/// A reshape as groups of input dims [first, second) holding exactly the
/// output dims of their group: splitting [N, T, 128] into [N, T, 4, 32]
/// groups {N}, {T} and {128} -> {4, 32}, so the input index of the last
/// group is 32 h + e, without the division and modulo a reshape through
/// one flat index needs per element (measured on the attention block: the
/// head split took 460 us for 1 MB; its loads were gathers). One group of
/// everything when the batch dim does not map to itself.
using DimRange = std::pair<size_t, size_t>;
static std::vector<std::pair<DimRange, DimRange>> reshapeGroups(llvm::ArrayRef<int64_t> in,
                                                                llvm::ArrayRef<int64_t> out) {
  std::vector<std::pair<DimRange, DimRange>> groups;
  auto dynamic = [](int64_t d) { return mlir::ShapedType::isDynamic(d); };
  size_t i = 0, j = 0;
  while (i < in.size() || j < out.size()) {
    bool inDyn = i < in.size() && dynamic(in[i]), outDyn = j < out.size() && dynamic(out[j]);
    if (inDyn && outDyn) {
      groups.push_back({{i, i + 1}, {j, j + 1}});
      ++i, ++j;
      continue;
    }
    if (inDyn || outDyn)
      return {{{0, in.size()}, {0, out.size()}}};
    size_t i0 = i, j0 = j;
    int64_t pin = i < in.size() ? in[i++] : 1, pout = j < out.size() ? out[j++] : 1;
    while (pin != pout) {
      bool growIn = pin < pout;
      if (growIn ? i >= in.size() || dynamic(in[i]) : j >= out.size() || dynamic(out[j]))
        return {{{0, in.size()}, {0, out.size()}}};
      if (growIn)
        pin *= in[i++];
      else
        pout *= out[j++];
    }
    groups.push_back({{i0, i}, {j0, j}});
  }
  return groups;
}

std::string FunctionLowering::name(mlir::Operation *op) {
  std::string n = op->getName().stripDialect().str();
  return "f" + std::to_string(counter_++) + "_" + n;
}

std::vector<Expr> FunctionLowering::shapeOf(Value v) {
  std::vector<Expr> shape;
  for (int64_t d : tensorType(v).getShape())
    shape.push_back(mlir::ShapedType::isDynamic(d) ? batch_ : Expr(int32_t(d)));
  return shape;
}

Tensor FunctionLowering::define(const std::string &name, const std::vector<Expr> &shape,
                                const std::vector<int64_t> &staticShape, Halide::Type type,
                                const std::function<Expr(const Index &)> &body) {
  Tensor t;
  t.func = Func(name);
  t.shape = shape;
  t.staticShape = staticShape;
  t.type = type;
  // Halide dim k is Var dk; d0 is innermost, i.e. the last row-major dim.
  std::vector<Var> vars;
  Index idx(shape.size());
  for (size_t k = 0; k < shape.size(); ++k)
    vars.emplace_back("d" + std::to_string(k));
  for (size_t k = 0; k < shape.size(); ++k)
    idx[k] = vars[shape.size() - 1 - k];
  Expr value = body(idx);
  if (value.type() != type)
    value = Halide::cast(type, value);
  t.func(std::vector<Halide::Var>(vars.begin(), vars.end())) = value;
  out_->funcs.push_back(t.func);
  out_->shapes[t.func.name()] = shape; // Halide may have made the name unique
  return t;
}

Tensor FunctionLowering::define(Value v, const std::string &name,
                                const std::function<Expr(const Index &)> &body) {
  auto type = tensorType(v);
  Tensor t = define(name, shapeOf(v), std::vector<int64_t>(type.getShape()),
                    halideType(type.getElementType()), body);
  t.op = v.getDefiningOp();
  return t;
}

Index FunctionLowering::broadcastIndex(const Index &i, const Tensor &operand) {
  size_t lead = i.size() - operand.rank();
  Index j;
  for (size_t k = 0; k < operand.rank(); ++k)
    j.push_back(operand.staticShape[k] == 1 ? Expr(int32_t(0)) : i[lead + k]);
  return j;
}

bool FunctionLowering::run(LoweredFunction &out) {
  out_ = &out;
  out.name = fn_.getSymName().str();
  out.numArgs = fn_.getNumArguments();
  out.numResults = fn_.getNumResults();
  out.batch = batch_;
  // Frozen parameters keep their values from step to step (only the manual
  // CPU schedule packs weights, see LoweringGemm.cpp).
  std::set<std::string> frozen;
  if (auto module = fn_->getParentOfType<mlir::ModuleOp>(); module && manualCPU_)
    for (ParamOp p : module.getOps<ParamOp>())
      if (p.getFrozen())
        frozen.insert(p.getSymName().str());
  // Inputs: one buffer per argument, dense and row-major, every batched
  // dimension of extent N.
  for (mlir::BlockArgument arg : fn_.getArguments()) {
    auto type = tensorType(arg);
    std::string argName = "arg" + std::to_string(arg.getArgNumber());
    for (llvm::StringRef key : {"mlc.param", "mlc.state", "mlc.data"})
      if (auto s = fn_.getArgAttrOfType<mlir::StringAttr>(arg.getArgNumber(), key))
        argName = s.getValue().str();
    if (fn_.getArgAttr(arg.getArgNumber(), "mlc.step"))
      argName = "step";
    bool isFrozen = frozen.count(argName) &&
                    fn_.getArgAttrOfType<mlir::StringAttr>(arg.getArgNumber(), "mlc.param");
    for (char &c : argName) // Halide names: no dots
      if (c == '.')
        c = '_';
    if (isFrozen)
      frozenArgs_.insert(argName);
    Halide::ImageParam p(halideType(type.getElementType()), type.getRank(), argName);
    for (int64_t k = 0; k < type.getRank(); ++k) {
      int64_t d = type.getDimSize(k);
      int halideDim = type.getRank() - 1 - k;
      if (mlir::ShapedType::isDynamic(d)) {
        p.dim(halideDim).set_bounds(0, batch_);
        if (out.batchArg < 0 && k == 0)
          out.batchArg = int(arg.getArgNumber());
      } else {
        p.dim(halideDim).set_bounds(0, int32_t(d));
      }
    }
    if (type.getRank() > 0)
      p.dim(0).set_stride(1);
    out.inputs.push_back(p);
    out.inputShapes.push_back(std::vector<int64_t>(type.getShape()));
    argSlot_[p.name()] = int(arg.getArgNumber());
    Tensor t;
    t.image = p;
    t.shape = shapeOf(arg);
    t.staticShape = std::vector<int64_t>(type.getShape());
    t.type = p.type();
    values_[arg] = t;
  }
  for (mlir::Operation &op : fn_.front()) {
    if (auto ret = mlir::dyn_cast<mlir::func::ReturnOp>(op)) {
      for (auto [index, v] : llvm::enumerate(ret.getOperands())) {
        int slot = int(out.numArgs + index);
        Tensor t = get(v);
        // A temp becomes the result buffer itself; anything else is copied.
        if (t.image && tempOf_.count(t.image->name())) {
          Temp &temp = out.temps[tempOf_[t.image->name()]];
          Kernel &producer = out.kernels[temp.first];
          for (auto [o, f] : llvm::enumerate(producer.outputs))
            if (producer.outputSlots[o] == -2 - tempOf_[t.image->name()]) {
              producer.outputSlots[o] = slot;
              resultSlot_[tempOf_[t.image->name()]] = slot;
              tempOf_.erase(t.image->name());
              break;
            }
          if (!tempOf_.count(t.image->name()))
            continue;
        }
        Kernel copy;
        copy.name = out.name + "_result" + std::to_string(index);
        copy.outputs.push_back(
            define(v, copy.name, [&](const Index &i) { return t(i); }).func);
        copy.outputSlots.push_back(slot);
        copy.outputShapes.push_back(t.staticShape);
        out.kernels.push_back(std::move(copy));
      }
      continue;
    }
    if (!lower(&op))
      return false;
    if (!fuseIntoConsumer(&op))
      materialize(&op, out.name + "_k" + std::to_string(out.kernels.size()) + "_" +
                           op.getName().stripDialect().str());
  }
  link();
  return true;
}

/// The product fused into `op` as its epilogue (directly or through fused
/// elementwise ops), if any: its Func name.
static std::string fusedGemm(mlir::Operation *op, const llvm::DenseMap<Value, Tensor> &values,
                             const LoweredFunction &fn) {
  for (Value v : op->getOperands()) {
    mlir::Operation *def = v.getDefiningOp();
    if (!def || !fuseIntoConsumer(def))
      continue;
    auto it = values.find(v);
    if (it != values.end() && !it->second.image && fn.gemms.count(it->second.func.name()))
      return it->second.func.name();
    if (std::string inner = fusedGemm(def, values, fn); !inner.empty())
      return inner;
  }
  return "";
}

bool FunctionLowering::freeExtents(std::vector<Tensor *> operands, mlir::Operation *op) {
  // Only an op that is a kernel of its own: fused into a reader, its free
  // ImageParams would sit beside the static ones of the same buffers.
  if (!manualCPU_ || fuseIntoConsumer(op))
    return false;
  for (Tensor *t : operands)
    if (!t->image)
      return false;
  for (Tensor *t : operands) {
    Halide::ImageParam p(t->type, int(t->rank()), t->image->name());
    for (int d = 0; d < p.dimensions(); ++d)
      p.dim(d).set_min(0);
    if (p.dimensions() > 0)
      p.dim(0).set_stride(1);
    t->image = p;
    for (size_t q = 0; q < t->rank(); ++q) // reductions over it read its extents
      t->shape[q] = p.dim(int(t->rank() - 1 - q)).extent();
  }
  anyShapeOps_.insert(op);
  return true;
}

void FunctionLowering::materialize(mlir::Operation *op, const std::string &name) {
  Kernel k;
  k.name = name;
  k.op = op;
  k.anyShape = anyShapeOps_.count(op);
  // The kernel of an epilogue is scheduled as the product it finishes.
  if (std::string gemm = fusedGemm(op, values_, *out_); !gemm.empty() && op->getNumResults() == 1)
    out_->gemms[get(op->getResult(0)).func.name()] = out_->gemms[gemm];
  for (Value v : op->getResults()) {
    Tensor t = get(v);
    if (t.image) // already a buffer
      continue;
    Tensor buffer = t;
    buffer.image = addTemp(k, t, name + "_r" +
                                     std::to_string(mlir::cast<mlir::OpResult>(v).getResultNumber()));
    buffer.op = op;
    values_[v] = buffer;
  }
  if (!k.outputs.empty())
    out_->kernels.push_back(std::move(k));
}

Halide::ImageParam FunctionLowering::addTemp(Kernel &k, const Tensor &t, const std::string &name,
                                             bool kept) {
  Temp temp;
  temp.image = Halide::ImageParam(t.type, int(t.rank()), name);
  temp.shape = t.staticShape;
  temp.kept = kept;
  for (size_t q = 0; q < t.rank(); ++q)
    temp.image.dim(int(t.rank() - 1 - q)).set_bounds(0, t.shape[q]);
  if (t.rank() > 0)
    temp.image.dim(0).set_stride(1);
  temp.first = int(out_->kernels.size());
  int index = int(out_->temps.size());
  tempOf_[temp.image.name()] = index;
  k.outputs.push_back(t.func);
  k.outputShapes.push_back(t.staticShape);
  k.outputSlots.push_back(-2 - index); // a temp, numbered once the function is done
  out_->temps.push_back(temp);
  return temp.image;
}

Halide::ImageParam FunctionLowering::materializeInvariant(const Tensor &packed) {
  Kernel k;
  k.name = out_->name + "_k" + std::to_string(out_->kernels.size()) + "_pack";
  k.invariant = true;
  Halide::ImageParam image = addTemp(k, packed, k.name + "_r0", /*kept=*/true);
  out_->kernels.push_back(std::move(k));
  return image;
}

bool FunctionLowering::readsOnlyFrozen(const Halide::Expr &e) const {
  struct Reads : Halide::Internal::IRVisitor {
    const std::set<std::string> *frozen;
    bool any = false, other = false;
    using IRVisitor::visit;
    void visit(const Halide::Internal::Call *c) override {
      IRVisitor::visit(c);
      if (c->call_type == Halide::Internal::Call::Image && c->param.defined() &&
          frozen->count(c->param.name()))
        any = true;
      else if (c->call_type == Halide::Internal::Call::Image ||
               c->call_type == Halide::Internal::Call::Halide)
        other = true;
    }
    void visit(const Halide::Internal::Variable *v) override {
      other = other || v->param.defined(); // a scalar argument (the batch)
    }
  } reads;
  reads.frozen = &frozenArgs_;
  e.accept(&reads);
  return reads.any && !reads.other;
}

void FunctionLowering::link() {
  // Temps that became function results are dropped; the rest are numbered
  // after the function's own slots.
  constexpr int kKept = -100;
  std::vector<int> slotOfTemp(out_->temps.size(), -1);
  std::vector<Temp> kept;
  for (auto &[name, index] : tempOf_) {
    (void)name;
    slotOfTemp[index] = kKept;
  }
  for (auto [index, slot] : resultSlot_)
    slotOfTemp[index] = slot;
  for (size_t t = 0; t < out_->temps.size(); ++t)
    if (slotOfTemp[t] == kKept) {
      slotOfTemp[t] = int(out_->numArgs + out_->numResults + kept.size());
      kept.push_back(out_->temps[t]);
    }
  std::map<std::string, int> slotByName = argSlot_;
  for (size_t t = 0; t < out_->temps.size(); ++t)
    slotByName[out_->temps[t].image.name()] = slotOfTemp[t];
  for (auto [index, k] : llvm::enumerate(out_->kernels)) {
    for (int &slot : k.outputSlots)
      if (slot <= -2)
        slot = slotOfTemp[-2 - slot];
    k.args = Halide::Pipeline(k.outputs).infer_arguments();
    for (const Halide::Argument &a : k.args) {
      int slot = a.name == batch_.name() ? kBatchSlot : slotByName.at(a.name);
      k.argSlots.push_back(slot);
      int temp = slot - int(out_->numArgs + out_->numResults);
      if (temp >= 0)
        kept[temp].last = int(index);
    }
  }
  for (size_t t = 0; t < kept.size(); ++t) {
    kept[t].last = std::max(kept[t].last, kept[t].first);
    // Alive across calls: no other temp may share its bytes.
    if (kept[t].kept) {
      kept[t].first = 0;
      kept[t].last = int(out_->kernels.size()) - 1;
    }
  }
  out_->temps = std::move(kept);
}

bool FunctionLowering::lower(mlir::Operation *op) {
  auto set = [&](Value v, Tensor t) { bind(v, std::move(t)); };
  std::string n = name(op);

  auto unary = [&](Value in, Value res, const std::function<Expr(Expr)> &f) {
    const Tensor &x = get(in);
    set(res, define(res, n, [&](const Index &i) { return f(x(i)); }));
    return true;
  };
  auto binary = [&](Value l, Value r, Value res, const std::function<Expr(Expr, Expr)> &f) {
    const Tensor &a = get(l), &b = get(r);
    set(res, define(res, n, [&](const Index &i) {
          return f(a(broadcastIndex(i, a)), b(broadcastIndex(i, b)));
        }));
    return true;
  };

  return llvm::TypeSwitch<mlir::Operation *, bool>(op)
      .Case([&](ConstantOp c) {
        double v = c.getValue().convertToDouble();
        set(c, define(c, n, [&](const Index &) { return f32(v); }));
        return true;
      })
      .Case([&](IotaOp c) {
        set(c, define(c, n, [&](const Index &i) { return Halide::cast<int64_t>(i[0]); }));
        return true;
      })
      .Case([&](AddOp o) { return binary(o.getLhs(), o.getRhs(), o, [](Expr a, Expr b) { return a + b; }); })
      .Case([&](SubOp o) { return binary(o.getLhs(), o.getRhs(), o, [](Expr a, Expr b) { return a - b; }); })
      .Case([&](MulOp o) { return binary(o.getLhs(), o.getRhs(), o, [](Expr a, Expr b) { return a * b; }); })
      .Case([&](DivOp o) { return binary(o.getLhs(), o.getRhs(), o, [](Expr a, Expr b) { return a / b; }); })
      .Case([&](NegOp o) { return unary(o.getInput(), o, [](Expr x) { return -x; }); })
      .Case([&](ExpOp o) { return unary(o.getInput(), o, [](Expr x) { return Halide::exp(x); }); })
      .Case([&](LogOp o) { return unary(o.getInput(), o, [](Expr x) { return Halide::log(x); }); })
      .Case([&](SqrtOp o) { return unary(o.getInput(), o, [](Expr x) { return Halide::sqrt(x); }); })
      .Case([&](TanhOp o) { return unary(o.getInput(), o, [](Expr x) { return Halide::tanh(x); }); })
      .Case([&](SigmoidOp o) {
        return unary(o.getInput(), o, [](Expr x) { return 1.0f / (1.0f + Halide::exp(-x)); });
      })
      .Case([&](ReluOp o) { return unary(o.getInput(), o, [](Expr x) { return Halide::max(x, 0.0f); }); })
      .Case([&](GeluOp o) {
        return unary(o.getInput(), o, [](Expr x) {
          return 0.5f * x * (1.0f + erfRational(x * f32(M_SQRT1_2)));
        });
      })
      .Case([&](ReluGradOp o) {
        const Tensor &x = get(o.getInput()), &g = get(o.getGrad());
        set(o, define(o, n, [&](const Index &i) { return Halide::select(x(i) > 0.0f, g(i), 0.0f); }));
        return true;
      })
      .Case([&](GeluGradOp o) {
        const Tensor &x = get(o.getInput()), &g = get(o.getGrad());
        set(o, define(o, n, [&](const Index &i) {
              return g(i) * geluDerivative(x(i));
            }));
        return true;
      })
      .Case([&](MatmulOp o) {
        const Tensor &a = get(o.getLhs()), &b = get(o.getRhs());
        // One operand's index: its own leading dims broadcast against the result's.
        auto side = [](const Tensor &t, const Index &lead, Expr row, Expr col) {
          size_t own = t.rank() - 2;
          Index j;
          for (size_t q = 0; q < own; ++q)
            j.push_back(t.staticShape[q] == 1 ? Expr(int32_t(0)) : lead[lead.size() - own + q]);
          j.push_back(row);
          j.push_back(col);
          return t(j);
        };
        set(o, gemm(o, n, {a.shape.back()},
                    [&](const Index &lead, Expr m, const Index &k) { return side(a, lead, m, k[0]); },
                    [&](const Index &lead, const Index &k, Expr p) { return side(b, lead, k[0], p); },
                    [](Expr acc, const Index &) { return acc; }));
        return true;
      })
      .Case([&](PermuteOp o) {
        const Tensor &x = get(o.getInput());
        llvm::ArrayRef<int64_t> perm = o.getPerm();
        set(o, define(o, n, [&](const Index &i) {
              Index j(i.size());
              for (size_t q = 0; q < perm.size(); ++q)
                j[perm[q]] = i[q];
              return x(j);
            }));
        return true;
      })
      .Case([&](ReshapeOp o) {
        const Tensor &x = get(o.getInput());
        std::vector<Expr> outShape = shapeOf(o);
        auto groups = reshapeGroups(x.staticShape, tensorType(o).getShape());
        set(o, define(o, n, [&](const Index &i) {
              Index j(x.rank());
              for (auto [in, out] : groups) {
                // Row-major position within the group, then the input's
                // coordinates: no division for a dim split in several.
                Expr flat = Expr(int32_t(0));
                for (size_t q = out.first; q < out.second; ++q)
                  flat = q == out.first ? i[q] : flat * outShape[q] + i[q];
                for (size_t q = in.second; q-- > in.first;) {
                  j[q] = q == in.first ? flat : flat % x.shape[q];
                  if (q > in.first)
                    flat = flat / x.shape[q];
                }
              }
              return x(j);
            }));
        if (!groups.empty() && groups.back().first.second - groups.back().first.first > 1 &&
            groups.back().second.second - groups.back().second.first == 1 &&
            !mlir::ShapedType::isDynamic(x.staticShape.back()))
          out_->mergedRun[get(o).func.name()] = x.staticShape.back();
        return true;
      })
      .Case([&](BroadcastOp o) {
        const Tensor &x = get(o.getInput());
        set(o, define(o, n, [&](const Index &i) { return x(broadcastIndex(i, x)); }));
        return true;
      })
      .Case([&](CountOp o) {
        const Tensor &x = get(o.getInput());
        std::vector<Expr> ext;
        for (int64_t a : o.getAxes())
          ext.push_back(x.shape[a]);
        if (o.getAxes().empty())
          ext = x.shape;
        set(o, define(o, n, [&](const Index &) { return Halide::cast<float>(product(ext)); }));
        return true;
      })
      .Case([&](SumOp o) { return lowerReduction(o, o.getInput(), o.getAxes(), o.getKeepdim(), 0, n); })
      .Case([&](MeanOp o) { return lowerReduction(o, o.getInput(), o.getAxes(), o.getKeepdim(), 1, n); })
      .Case([&](MaxOp o) { return lowerReduction(o, o.getInput(), o.getAxes(), o.getKeepdim(), 2, n); })
      .Default([&](mlir::Operation *) { return lowerNN(op, n); });
}

void FunctionLowering::bind(Value v, Tensor t) {
  t.op = v.getDefiningOp();
  if (t.op && fuseIntoConsumer(t.op))
    out_->inlined.insert(t.func.name());
  values_[v] = t;
}
