//===- NNOps.cpp - Oracle kernels: layers, losses and their gradients -----===//
//
// linear, layer_norm, embedding, causal_mask, mse_loss, cross_entropy and
// accuracy, with the backward kernels of the same layers. Tensors with a
// feature (last) dim are walked as [rows, d] matrices.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "mlc/Dialect/MLC/MLCOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace mlc::oracle {

/// `v` as an index in [0, limit), or an error naming `what`.
static FailureOr<int64_t> toIndex(Operation *op, double v, int64_t limit, StringRef what) {
  if (v >= 0 && v < static_cast<double>(limit) && v == std::floor(v))
    return static_cast<int64_t>(v);
  InFlightDiagnostic d = op->emitError() << "mlc-oracle: " << what << " ";
  if (v == std::floor(v) && std::fabs(v) < 0x1.0p62)
    d << static_cast<int64_t>(v);
  else
    d << v;
  return d << " is not in [0, " << limit << ")";
}

static int64_t rowsOf(const Tensor &t) { return t.size() / t.shape.back(); }

//===----------------------------------------------------------------------===//
// linear
//===----------------------------------------------------------------------===//

static LogicalResult linear(LinearOp op, Frame &f) {
  const Tensor &x = f[op.getInput()], &w = f[op.getWeight()];
  int64_t out = w.shape[0], in = w.shape[1], rows = rowsOf(x);
  if (x.shape.back() != in)
    return fail(op, "'input' does not match 'weight'");
  const Tensor *b = op.getBias() ? &f[op.getBias()] : nullptr;
  std::vector<int64_t> shape = x.shape;
  shape.back() = out;
  Tensor y(shape);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t o = 0; o < out; ++o) {
      double s = b ? b->data[o] : 0.0;
      for (int64_t i = 0; i < in; ++i)
        s += x.data[r * in + i] * w.data[o * in + i];
      y.data[r * out + o] = s;
    }
  return f.set(op.getResult(), std::move(y));
}

static LogicalResult linearWeightGrad(LinearWeightGradOp op, Frame &f) {
  const Tensor &dy = f[op.getGrad()], &x = f[op.getInput()];
  int64_t out = dy.shape.back(), in = x.shape.back(), rows = rowsOf(dy);
  if (rowsOf(x) != rows)
    return fail(op, "'grad' and 'input' differ in their leading dims");
  Tensor dw({out, in});
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t o = 0; o < out; ++o)
      for (int64_t i = 0; i < in; ++i)
        dw.data[o * in + i] += dy.data[r * out + o] * x.data[r * in + i];
  return f.set(op.getResult(), std::move(dw));
}

//===----------------------------------------------------------------------===//
// layer_norm
//===----------------------------------------------------------------------===//

/// xhat = (x - mean) * rstd of every row, and the rows' rstd.
static void normalize(const Tensor &x, double eps, std::vector<double> &xhat,
                      std::vector<double> &rstd) {
  int64_t d = x.shape.back(), rows = rowsOf(x);
  xhat.assign(x.size(), 0.0);
  rstd.assign(rows, 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    const double *row = &x.data[r * d];
    double mean = 0, var = 0;
    for (int64_t i = 0; i < d; ++i)
      mean += row[i] / d;
    for (int64_t i = 0; i < d; ++i)
      var += (row[i] - mean) * (row[i] - mean) / d; // biased
    rstd[r] = 1.0 / std::sqrt(var + eps);
    for (int64_t i = 0; i < d; ++i)
      xhat[r * d + i] = (row[i] - mean) * rstd[r];
  }
}

static LogicalResult layerNorm(LayerNormOp op, Frame &f) {
  const Tensor &x = f[op.getInput()], &w = f[op.getWeight()], &b = f[op.getBias()];
  int64_t d = x.shape.back();
  std::vector<double> xhat, rstd;
  normalize(x, op.getEps().convertToDouble(), xhat, rstd);
  Tensor y(x.shape);
  for (int64_t i = 0; i < y.size(); ++i)
    y.data[i] = xhat[i] * w.data[i % d] + b.data[i % d];
  return f.set(op.getResult(), std::move(y));
}

static LogicalResult layerNormGrad(LayerNormGradOp op, Frame &f) {
  const Tensor &x = f[op.getInput()], &w = f[op.getWeight()], &dy = f[op.getGrad()];
  int64_t d = x.shape.back(), rows = rowsOf(x);
  std::vector<double> xhat, rstd;
  normalize(x, op.getEps().convertToDouble(), xhat, rstd);
  Tensor dx(x.shape), dw({d}), db({d});
  for (int64_t r = 0; r < rows; ++r) {
    // g = dy * weight; dx = rstd * (g - mean(g) - xhat * mean(g * xhat)).
    double meanG = 0, meanGX = 0;
    for (int64_t i = 0; i < d; ++i) {
      double g = dy.data[r * d + i] * w.data[i];
      meanG += g / d;
      meanGX += g * xhat[r * d + i] / d;
    }
    for (int64_t i = 0; i < d; ++i) {
      int64_t k = r * d + i;
      double g = dy.data[k] * w.data[i];
      dx.data[k] = rstd[r] * (g - meanG - xhat[k] * meanGX);
      dw.data[i] += dy.data[k] * xhat[k];
      db.data[i] += dy.data[k];
    }
  }
  if (failed(f.set(op.getInputGrad(), std::move(dx))) ||
      failed(f.set(op.getWeightGrad(), std::move(dw))))
    return failure();
  return f.set(op.getBiasGrad(), std::move(db));
}

//===----------------------------------------------------------------------===//
// embedding
//===----------------------------------------------------------------------===//

static LogicalResult embedding(EmbeddingOp op, Frame &f) {
  const Tensor &w = f[op.getWeight()], &ids = f[op.getIndices()];
  int64_t vocab = w.shape[0], d = w.shape[1];
  std::vector<int64_t> shape = ids.shape;
  shape.push_back(d);
  Tensor y(shape);
  for (int64_t p = 0; p < ids.size(); ++p) {
    FailureOr<int64_t> v = toIndex(op, ids.data[p], vocab, "index");
    if (failed(v))
      return failure();
    for (int64_t i = 0; i < d; ++i)
      y.data[p * d + i] = w.data[*v * d + i];
  }
  return f.set(op.getResult(), std::move(y));
}

static LogicalResult embeddingGrad(EmbeddingGradOp op, Frame &f) {
  const Tensor &ids = f[op.getIndices()], &dy = f[op.getGrad()];
  ArrayRef<int64_t> table = op.getResult().getType().getShape();
  int64_t vocab = table[0], d = table[1];
  Tensor dw({vocab, d});
  for (int64_t p = 0; p < ids.size(); ++p) {
    FailureOr<int64_t> v = toIndex(op, ids.data[p], vocab, "index");
    if (failed(v))
      return failure();
    for (int64_t i = 0; i < d; ++i)
      dw.data[*v * d + i] += dy.data[p * d + i];
  }
  return f.set(op.getResult(), std::move(dw));
}

//===----------------------------------------------------------------------===//
// causal_mask
//===----------------------------------------------------------------------===//

/// Sets the entries above the diagonal of the last two dims (column > row)
/// of `t` to `value`.
static LogicalResult maskAbove(Operation *op, Frame &f, double value) {
  Tensor t = f[op->getOperand(0)];
  if (t.rank() < 2 || t.shape.back() != t.shape[t.rank() - 2])
    return fail(op, "'input' must be [..., T, T]");
  int64_t n = t.shape.back();
  for (int64_t m = 0; m < t.size() / (n * n); ++m)
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = r + 1; c < n; ++c)
        t.data[(m * n + r) * n + c] = value;
  return f.set(op->getResult(0), std::move(t));
}

//===----------------------------------------------------------------------===//
// Losses and metrics
//===----------------------------------------------------------------------===//

static LogicalResult mseLoss(MseLossOp op, Frame &f) {
  const Tensor &x = f[op.getInput()], &t = f[op.getTarget()];
  if (x.shape != t.shape)
    return fail(op, "'input' and 'target' differ in shape");
  double s = 0;
  for (int64_t i = 0; i < x.size(); ++i)
    s += (x.data[i] - t.data[i]) * (x.data[i] - t.data[i]);
  return f.set(op.getResult(), Tensor({}, s / x.size()));
}

/// The label of every position of `logits` ([P, C] viewed), checked.
static FailureOr<std::vector<int64_t>> labelsOf(Operation *op, const Tensor &logits,
                                                const Tensor &labels) {
  if (rowsOf(logits) != labels.size())
    return fail(op, "'labels' do not match 'logits'");
  std::vector<int64_t> out;
  for (double v : labels.data) {
    FailureOr<int64_t> c = toIndex(op, v, logits.shape.back(), "label");
    if (failed(c))
      return failure();
    out.push_back(*c);
  }
  return out;
}

/// log(sum(exp(row))), stabilised by the row's maximum.
static double logSumExp(const double *row, int64_t n) {
  double m = -std::numeric_limits<double>::infinity(), s = 0;
  for (int64_t i = 0; i < n; ++i)
    m = std::max(m, row[i]);
  for (int64_t i = 0; i < n; ++i)
    s += std::exp(row[i] - m);
  return m + std::log(s);
}

static LogicalResult crossEntropy(CrossEntropyOp op, Frame &f) {
  const Tensor &z = f[op.getLogits()];
  auto labels = labelsOf(op, z, f[op.getLabels()]);
  if (failed(labels))
    return failure();
  int64_t c = z.shape.back(), p = labels->size();
  double loss = 0;
  for (int64_t r = 0; r < p; ++r)
    loss += logSumExp(&z.data[r * c], c) - z.data[r * c + (*labels)[r]];
  return f.set(op.getResult(), Tensor({}, loss / p));
}

static LogicalResult crossEntropyGrad(CrossEntropyGradOp op, Frame &f) {
  const Tensor &z = f[op.getLogits()];
  auto labels = labelsOf(op, z, f[op.getLabels()]);
  if (failed(labels))
    return failure();
  double g = f[op.getGrad()].data[0];
  int64_t c = z.shape.back(), p = labels->size();
  Tensor dz(z.shape);
  for (int64_t r = 0; r < p; ++r) {
    double lse = logSumExp(&z.data[r * c], c);
    for (int64_t i = 0; i < c; ++i) {
      double softmax = std::exp(z.data[r * c + i] - lse);
      double oneHot = i == (*labels)[r] ? 1.0 : 0.0;
      dz.data[r * c + i] = (softmax - oneHot) * g / p;
    }
  }
  return f.set(op.getResult(), std::move(dz));
}

static LogicalResult accuracy(AccuracyOp op, Frame &f) {
  const Tensor &z = f[op.getLogits()];
  auto labels = labelsOf(op, z, f[op.getLabels()]);
  if (failed(labels))
    return failure();
  int64_t c = z.shape.back(), p = labels->size(), hits = 0;
  for (int64_t r = 0; r < p; ++r) {
    int64_t best = 0; // the first maximum on ties
    for (int64_t i = 1; i < c; ++i)
      if (z.data[r * c + i] > z.data[r * c + best])
        best = i;
    hits += best == (*labels)[r];
  }
  return f.set(op.getResult(), Tensor({}, static_cast<double>(hits) / p));
}

EvalResult evalNNOp(Operation *op, Frame &f) {
  double inf = std::numeric_limits<double>::infinity();
  return llvm::TypeSwitch<Operation *, EvalResult>(op)
      .Case([&](LinearOp o) { return linear(o, f); })
      .Case([&](LinearWeightGradOp o) { return linearWeightGrad(o, f); })
      .Case([&](LayerNormOp o) { return layerNorm(o, f); })
      .Case([&](LayerNormGradOp o) { return layerNormGrad(o, f); })
      .Case([&](EmbeddingOp o) { return embedding(o, f); })
      .Case([&](EmbeddingGradOp o) { return embeddingGrad(o, f); })
      .Case([&](CausalMaskOp) { return maskAbove(op, f, -inf); })
      .Case([&](CausalMaskGradOp) { return maskAbove(op, f, 0.0); })
      .Case([&](MseLossOp o) { return mseLoss(o, f); })
      .Case([&](CrossEntropyOp o) { return crossEntropy(o, f); })
      .Case([&](CrossEntropyGradOp o) { return crossEntropyGrad(o, f); })
      .Case([&](AccuracyOp o) { return accuracy(o, f); })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace mlc::oracle
