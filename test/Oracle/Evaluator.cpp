//===- Evaluator.cpp - The oracle's driver, value table and index helpers ===//

#include "Kernels.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cassert>
#include <cmath>

using namespace mlir;

namespace mlc::oracle {

Tensor::Tensor(std::vector<int64_t> shape, double fill)
    : shape(std::move(shape)), data(numElements(this->shape), fill) {}

Tensor::Tensor(std::vector<int64_t> shape, std::vector<double> data)
    : shape(std::move(shape)), data(std::move(data)) {
  assert(static_cast<int64_t>(this->data.size()) == numElements(this->shape));
}

std::string shapeToString(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

LogicalResult fail(Operation *op, const Twine &what) {
  return op->emitError() << "mlc-oracle: " << what;
}

//===----------------------------------------------------------------------===//
// Frame
//===----------------------------------------------------------------------===//

const Tensor &Frame::operator[](Value v) const {
  auto it = values.find(v);
  assert(it != values.end() && "value used before it was evaluated");
  return it->second;
}

LogicalResult Frame::set(Value v, Tensor t) {
  Operation *where = v.getDefiningOp();
  if (!where)
    where = v.getParentBlock()->getParentOp();
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type)
    return where->emitError() << "mlc-oracle: cannot evaluate a value of type " << v.getType();
  bool ok = type.getRank() == t.rank();
  for (int64_t i = 0; ok && i < t.rank(); ++i) {
    int64_t dim = type.getDimSize(i);
    if (!ShapedType::isDynamic(dim)) {
      ok = dim == t.shape[i];
      continue;
    }
    if (!batch)
      batch = t.shape[i];
    ok = *batch == t.shape[i];
  }
  if (!ok) {
    InFlightDiagnostic d = where->emitError() << "mlc-oracle: a value of type " << type
                                              << " has shape " << shapeToString(t.shape);
    if (batch)
      d << " (N = " << *batch << ")";
    return d;
  }
  values[v] = std::move(t);
  return success();
}

//===----------------------------------------------------------------------===//
// Index helpers
//===----------------------------------------------------------------------===//

int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::vector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

std::optional<std::vector<int64_t>> broadcastShape(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> shape(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    shape[rank - 1 - i] = da == 1 ? db : da;
  }
  return shape;
}

std::optional<Tensor> broadcastTo(const Tensor &t, ArrayRef<int64_t> shape) {
  if (ArrayRef<int64_t>(t.shape) == shape)
    return t;
  auto joint = broadcastShape(t.shape, shape);
  if (!joint || ArrayRef<int64_t>(*joint) != shape)
    return std::nullopt;
  // Input strides aligned to `shape`; a stretched dim reads with stride 0.
  size_t lead = shape.size() - t.shape.size();
  std::vector<int64_t> in = stridesOf(t.shape), strides(shape.size(), 0);
  for (size_t i = 0; i < t.shape.size(); ++i)
    strides[lead + i] = t.shape[i] == 1 ? 0 : in[i];
  Tensor out(std::vector<int64_t>(shape.begin(), shape.end()));
  forEachIndex(shape, [&](int64_t flat, ArrayRef<int64_t> idx) {
    int64_t src = 0;
    for (size_t i = 0; i < idx.size(); ++i)
      src += idx[i] * strides[i];
    out.data[flat] = t.data[src];
  });
  return out;
}

void forEachIndex(ArrayRef<int64_t> shape,
                  const std::function<void(int64_t, ArrayRef<int64_t>)> &fn) {
  int64_t total = numElements(shape);
  std::vector<int64_t> idx(shape.size(), 0);
  for (int64_t flat = 0; flat < total; ++flat) {
    fn(flat, idx);
    for (int64_t i = static_cast<int64_t>(shape.size()) - 1; i >= 0; --i) {
      if (++idx[i] < shape[i])
        break;
      idx[i] = 0;
    }
  }
}

std::vector<int64_t> reduceShape(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes, bool keepdim) {
  std::vector<int64_t> out;
  for (int64_t i = 0, e = shape.size(); i < e; ++i) {
    if (!llvm::is_contained(axes, i))
      out.push_back(shape[i]);
    else if (keepdim)
      out.push_back(1);
  }
  return out;
}

std::vector<int64_t> reduceGroups(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes) {
  // Group index = row-major index over the kept dims (keepdim does not
  // change it: the kept 1s contribute nothing).
  std::vector<int64_t> kept = reduceShape(shape, axes, /*keepdim=*/true);
  std::vector<int64_t> keptStrides = stridesOf(kept);
  std::vector<int64_t> groups(numElements(shape));
  forEachIndex(shape, [&](int64_t flat, ArrayRef<int64_t> idx) {
    int64_t g = 0;
    for (size_t i = 0; i < idx.size(); ++i)
      if (!llvm::is_contained(axes, static_cast<int64_t>(i)))
        g += idx[i] * keptStrides[i];
    groups[flat] = g;
  });
  return groups;
}

AxisView::AxisView(ArrayRef<int64_t> shape, int64_t axis)
    : outer(numElements(shape.take_front(axis))), n(shape[axis]),
      inner(numElements(shape.drop_front(axis + 1))) {}

//===----------------------------------------------------------------------===//
// Leaves: parameters and constants
//===----------------------------------------------------------------------===//

static std::vector<int64_t> staticShape(Value v) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(v.getType()).getShape();
  return {s.begin(), s.end()};
}

static EvalResult evalLeafOp(Operation *op, Frame &f) {
  return llvm::TypeSwitch<Operation *, EvalResult>(op)
      .Case([&](ParamRefOp o) -> LogicalResult {
        auto it = f.params.find(o.getParam().str());
        if (it == f.params.end())
          return fail(o, "no value for parameter '" + o.getParam() + "'");
        return f.set(o.getResult(), it->second);
      })
      .Case([&](ConstantOp o) {
        // "rounded to f32", as the op description says.
        double v = static_cast<float>(o.getValue().convertToDouble());
        return f.set(o.getResult(), Tensor({}, v));
      })
      .Case([&](IotaOp o) {
        Tensor t(staticShape(o.getResult()));
        for (int64_t i = 0; i < t.size(); ++i)
          t.data[i] = static_cast<double>(i);
        return f.set(o.getResult(), std::move(t));
      })
      .Default([](Operation *) { return std::nullopt; });
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

FailureOr<std::vector<Tensor>> evaluate(func::FuncOp fn, ArrayRef<Tensor> args,
                                        const ParamMap &params) {
  if (fn.isExternal() || !fn.getBody().hasOneBlock())
    return fail(fn, "'" + fn.getSymName() + "' must have a body of one block");
  Block &body = fn.getBody().front();
  if (args.size() != body.getNumArguments())
    return fail(fn, "'" + fn.getSymName() + "' takes " + Twine(body.getNumArguments()) +
                        " arguments, got " + Twine(args.size()));
  Frame frame(params);
  for (auto [arg, value] : llvm::zip(body.getArguments(), args))
    if (failed(frame.set(arg, value)))
      return failure();

  for (Operation &op : body) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<Tensor> results;
      for (Value v : ret.getOperands())
        results.push_back(frame[v]);
      return results;
    }
    EvalResult r = evalLeafOp(&op, frame);
    for (auto group : {evalElementwiseOp, evalShapeOp, evalNNOp, evalUpdateOp})
      if (!r)
        r = group(&op, frame);
    if (!r)
      return fail(&op, "cannot evaluate op '" + op.getName().getStringRef() + "'");
    if (failed(*r))
      return failure();
  }
  return fail(fn, "'" + fn.getSymName() + "' does not end in 'func.return'");
}

} // namespace mlc::oracle
