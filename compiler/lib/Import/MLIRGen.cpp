//===- MLIRGen.cpp - Elaborated program to the mlc dialect ----------------===//
//
// Sema has already checked names and shapes, so this is a one-node-to-one-op
// translation; the dialect verifier re-checks every shape as a safety net.
// Only nodes that reach an output are emitted.
//
//===----------------------------------------------------------------------===//

#include "mlc/Import/MLIRGen.h"
#include "mlc/Dialect/MLC/MLCDialect.h"
#include "mlc/Dialect/MLC/MLCOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlc;

namespace {

class MLIRGen {
public:
  MLIRGen(mlir::MLIRContext &ctx, const SourceManager &sources)
      : ctx_(ctx), b_(&ctx), sources_(sources) {}

  mlir::OwningOpRef<mlir::ModuleOp> run(const Program &p) {
    mlir::OwningOpRef<mlir::ModuleOp> module =
        mlir::ModuleOp::create(loc(p.range), llvm::StringRef(p.name));
    b_.setInsertionPointToEnd(module->getBody());
    module->getOperation()->setAttr("mlc.model", b_.getStringAttr(p.model));
    module->getOperation()->setAttr("mlc.batch_size", b_.getI64IntegerAttr(p.batchSize));
    module->getOperation()->setAttr("mlc.epochs", b_.getI64IntegerAttr(p.epochs));
    module->getOperation()->setAttr("mlc.optimizer", optimizer(p.optimizer));

    for (const Parameter &param : p.params)
      b_.create<ParamOp>(loc(param.range), param.name, type(param.type),
                         initKindName(param.init), param.scale, param.frozen, param.initFrom,
                         param.initKey);
    function("loss", p, p.loss);
    function("predict", p, p.predict);
    return module;
  }

private:
  mlir::Location loc(SourceRange r) {
    if (!r.isValid())
      return b_.getUnknownLoc();
    const SourceFile &f = sources_.file(r.file);
    LineCol lc = f.lineCol(r.begin);
    return mlir::FileLineColLoc::get(&ctx_, f.path(), lc.line, lc.col);
  }

  mlir::RankedTensorType type(const TensorType &t) {
    llvm::SmallVector<int64_t> shape;
    for (int64_t d : t.dims)
      shape.push_back(d == kBatchDim ? mlir::ShapedType::kDynamic : d);
    mlir::Type element = t.dtype == DType::F32 ? mlir::Type(b_.getF32Type())
                                               : mlir::Type(b_.getIntegerType(64));
    return mlir::RankedTensorType::get(shape, element);
  }

  mlir::DictionaryAttr optimizer(const Optimizer &opt) {
    llvm::SmallVector<mlir::NamedAttribute> attrs;
    attrs.push_back(b_.getNamedAttr("kind", b_.getStringAttr(opt.kind)));
    for (const auto &[name, values] : opt.hyper) {
      if (values.size() == 1) {
        attrs.push_back(b_.getNamedAttr(name, b_.getF64FloatAttr(values[0])));
        continue;
      }
      llvm::SmallVector<mlir::Attribute> elems;
      for (double v : values)
        elems.push_back(b_.getF64FloatAttr(v));
      attrs.push_back(b_.getNamedAttr(name, b_.getArrayAttr(elems)));
    }
    return b_.getDictionaryAttr(attrs);
  }

  void function(llvm::StringRef name, const Program &p, const Graph &g) {
    llvm::SmallVector<mlir::Type> inputs, results;
    for (const Graph::Port &in : g.inputs)
      inputs.push_back(type(g.nodes[in.node].type));
    for (const Graph::Port &out : g.outputs)
      results.push_back(type(g.nodes[out.node].type));
    auto fn = b_.create<mlir::func::FuncOp>(loc(p.range), name,
                                            b_.getFunctionType(inputs, results));
    for (size_t i = 0; i < g.inputs.size(); ++i)
      fn.setArgAttr(i, "mlc.name", b_.getStringAttr(g.inputs[i].name));
    for (size_t i = 0; i < g.outputs.size(); ++i)
      fn.setResultAttr(i, "mlc.name", b_.getStringAttr(g.outputs[i].name));

    mlir::OpBuilder::InsertionGuard guard(b_);
    mlir::Block *entry = fn.addEntryBlock();
    for (size_t i = 0; i < g.inputs.size(); ++i)
      entry->getArgument(i).setLoc(loc(g.nodes[g.inputs[i].node].range));
    b_.setInsertionPointToStart(entry);

    // Emit only what an output needs.
    std::vector<bool> live(g.nodes.size(), false);
    for (const Graph::Port &out : g.outputs)
      live[out.node] = true;
    for (size_t i = g.nodes.size(); i-- > 0;)
      if (live[i])
        for (int o : g.nodes[i].operands)
          live[o] = true;

    std::vector<mlir::Value> values(g.nodes.size());
    for (size_t i = 0; i < g.nodes.size(); ++i)
      if (live[i])
        values[i] = emit(g.nodes[i], values, p, entry);
    llvm::SmallVector<mlir::Value> outs;
    for (const Graph::Port &out : g.outputs)
      outs.push_back(values[out.node]);
    b_.create<mlir::func::ReturnOp>(loc(p.range), outs);
  }

  mlir::Value emit(const Node &n, const std::vector<mlir::Value> &values, const Program &p,
                   mlir::Block *entry) {
    mlir::Location l = loc(n.range);
    mlir::RankedTensorType t = type(n.type);
    auto operand = [&](size_t i) { return values[n.operands[i]]; };
    switch (n.kind) {
    case OpKind::Input:
      return entry->getArgument(n.index);
    case OpKind::Param:
      return b_.create<ParamRefOp>(l, t, p.params[n.index].name);
    case OpKind::Constant:
      return b_.create<ConstantOp>(l, t, b_.getF64FloatAttr(n.fvalue));
    case OpKind::Iota:
      return b_.create<IotaOp>(l, t);
    case OpKind::Add: return b_.create<AddOp>(l, t, operand(0), operand(1));
    case OpKind::Sub: return b_.create<SubOp>(l, t, operand(0), operand(1));
    case OpKind::Mul: return b_.create<MulOp>(l, t, operand(0), operand(1));
    case OpKind::Div: return b_.create<DivOp>(l, t, operand(0), operand(1));
    case OpKind::Neg: return b_.create<NegOp>(l, t, operand(0));
    case OpKind::Exp: return b_.create<ExpOp>(l, t, operand(0));
    case OpKind::Log: return b_.create<LogOp>(l, t, operand(0));
    case OpKind::Sqrt: return b_.create<SqrtOp>(l, t, operand(0));
    case OpKind::Tanh: return b_.create<TanhOp>(l, t, operand(0));
    case OpKind::Sigmoid: return b_.create<SigmoidOp>(l, t, operand(0));
    case OpKind::Relu: return b_.create<ReluOp>(l, t, operand(0));
    case OpKind::Gelu: return b_.create<GeluOp>(l, t, operand(0));
    case OpKind::Matmul: return b_.create<MatmulOp>(l, t, operand(0), operand(1));
    case OpKind::Permute:
      return b_.create<PermuteOp>(l, t, operand(0), b_.getDenseI64ArrayAttr(n.ints));
    case OpKind::Reshape: return b_.create<ReshapeOp>(l, t, operand(0));
    case OpKind::Sum:
      return b_.create<SumOp>(l, t, operand(0), b_.getDenseI64ArrayAttr(n.ints),
                              n.flag ? b_.getUnitAttr() : nullptr);
    case OpKind::Mean:
      return b_.create<MeanOp>(l, t, operand(0), b_.getDenseI64ArrayAttr(n.ints),
                               n.flag ? b_.getUnitAttr() : nullptr);
    case OpKind::Max:
      return b_.create<MaxOp>(l, t, operand(0), b_.getDenseI64ArrayAttr(n.ints),
                              n.flag ? b_.getUnitAttr() : nullptr);
    case OpKind::Softmax:
      return b_.create<SoftmaxOp>(l, t, operand(0), b_.getI64IntegerAttr(n.ints[0]));
    case OpKind::LogSoftmax:
      return b_.create<LogSoftmaxOp>(l, t, operand(0), b_.getI64IntegerAttr(n.ints[0]));
    case OpKind::Linear:
      return b_.create<LinearOp>(l, t, operand(0), operand(1),
                                 n.operands.size() > 2 ? operand(2) : mlir::Value());
    case OpKind::LayerNorm:
      return b_.create<LayerNormOp>(l, t, operand(0), operand(1), operand(2),
                                    b_.getF64FloatAttr(n.fvalue));
    case OpKind::Embedding:
      return b_.create<EmbeddingOp>(l, t, operand(0), operand(1));
    case OpKind::CausalMask: return b_.create<CausalMaskOp>(l, t, operand(0));
    case OpKind::MseLoss: return b_.create<MseLossOp>(l, t, operand(0), operand(1));
    case OpKind::CrossEntropy:
      return b_.create<CrossEntropyOp>(l, t, operand(0), operand(1));
    case OpKind::Accuracy: return b_.create<AccuracyOp>(l, t, operand(0), operand(1));
    }
    llvm_unreachable("unhandled node kind");
  }

  mlir::MLIRContext &ctx_;
  mlir::OpBuilder b_;
  const SourceManager &sources_;
};

} // namespace

mlir::OwningOpRef<mlir::ModuleOp> mlc::mlirGen(mlir::MLIRContext &context, const Program &program,
                                               const SourceManager &sources) {
  context.loadDialect<MLCDialect, mlir::func::FuncDialect>();
  return MLIRGen(context, sources).run(program);
}
