//===- Lowering.cpp - One Halide Func per mlc op --------------------------===//
//
// THE ALGORITHM of every op, written as Halide definitions over the op's
// result index i (row-major). Reductions use explicit RDoms over static
// extents or over the batch extent N. Nothing here decides where or how a
// Func is computed: that is the schedule's job.
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
  if (image)
    return (*image)(args);
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



} // namespace

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
  if (out_) {
    out_->funcs.push_back(t.func);
    out_->shapes[name] = shape;
  }
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
  // Inputs: one buffer per argument; N is the extent of the first batched one.
  for (mlir::BlockArgument arg : fn_.getArguments()) {
    auto type = tensorType(arg);
    std::string argName = "arg" + std::to_string(arg.getArgNumber());
    for (llvm::StringRef key : {"mlc.param", "mlc.state", "mlc.data"})
      if (auto s = fn_.getArgAttrOfType<mlir::StringAttr>(arg.getArgNumber(), key))
        argName = s.getValue().str();
    if (fn_.getArgAttr(arg.getArgNumber(), "mlc.step"))
      argName = "step";
    for (char &c : argName) // Halide names: no dots
      if (c == '.')
        c = '_';
    Halide::ImageParam p(halideType(type.getElementType()), type.getRank(), argName);
    for (int64_t k = 0; k < type.getRank(); ++k) {
      int64_t d = type.getDimSize(k);
      int halideDim = type.getRank() - 1 - k;
      if (mlir::ShapedType::isDynamic(d)) {
        if (!batch_.defined())
          batch_ = p.dim(halideDim).extent();
        else
          p.dim(halideDim).set_extent(batch_);
      } else {
        p.dim(halideDim).set_bounds(0, int32_t(d));
      }
    }
    // Dense, row-major buffers.
    if (type.getRank() > 0)
      p.dim(0).set_stride(1);
    out.inputs.push_back(p);
    Tensor t;
    t.image = p;
    t.shape = shapeOf(arg);
    t.staticShape = std::vector<int64_t>(type.getShape());
    t.type = p.type();
    values_[arg] = t;
  }
  for (mlir::Operation &op : fn_.front()) {
    if (auto ret = mlir::dyn_cast<mlir::func::ReturnOp>(op)) {
      for (Value v : ret.getOperands()) {
        // Outputs are distinct Funcs defined by the pipeline itself.
        const Tensor &t = get(v);
        Tensor o = define(v, "out" + std::to_string(out.outputs.size()),
                          [&](const Index &i) { return t(i); });
        out.outputs.push_back(o.func);
      }
      continue;
    }
    if (!lower(&op))
      return false;
  }
  return true;
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
          return 0.5f * x * (1.0f + Halide::erf(x * f32(M_SQRT1_2)));
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
              Expr v = x(i);
              Expr cdf = 0.5f * (1.0f + Halide::erf(v * f32(M_SQRT1_2)));
              Expr pdf = Halide::exp(-0.5f * v * v) * f32(0.3989422804014327);
              return g(i) * (cdf + v * pdf);
            }));
        return true;
      })
      .Case([&](MatmulOp o) {
        const Tensor &a = get(o.getLhs()), &b = get(o.getRhs());
        size_t r = tensorType(o).getRank();
        Expr K = a.shape.back();
        RDom k(0, K, n + "_k");
        set(o, define(o, n, [&](const Index &i) {
              Index batch(i.begin(), i.end() - 2);
              auto side = [&](const Tensor &t, Expr row, Expr col) {
                size_t lead = t.rank() - 2;
                Index j;
                for (size_t q = 0; q < lead; ++q) // broadcast batch dims
                  j.push_back(t.staticShape[q] == 1 ? Expr(int32_t(0)) : batch[batch.size() - lead + q]);
                j.push_back(row);
                j.push_back(col);
                return t(j);
              };
              return Halide::sum(side(a, i[r - 2], k) * side(b, k, i[r - 1]), n + "_sum");
            }));
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
        set(o, define(o, n, [&](const Index &i) {
              Expr flat = Expr(int32_t(0));
              for (size_t q = 0; q < i.size(); ++q)
                flat = flat * outShape[q] + i[q];
              Index j(x.rank());
              for (size_t q = x.rank(); q-- > 0;) {
                j[q] = flat % x.shape[q];
                flat = flat / x.shape[q];
              }
              return x(j);
            }));
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
  out_->values.push_back(t);
}
