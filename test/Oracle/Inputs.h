//===- Inputs.h - Seeded inputs for the oracle ------------------*- C++ -*-===//
//
// Parameter initialisation and random arguments for running mlc functions
// in tests: the same seed gives the same numbers on every machine.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_TEST_ORACLE_INPUTS_H
#define MLC_TEST_ORACLE_INPUTS_H

#include "Evaluator.h"

#include "mlir/IR/BuiltinOps.h"

#include <random>

namespace mlc::oracle {

/// A seeded generator. The engine is std::mt19937_64, whose output the
/// standard fixes; the distributions are our own, because the standard
/// library's are implementation-defined.
class Rng {
public:
  explicit Rng(uint64_t seed) : engine(seed) {}
  double uniform();                     // [0, 1)
  double uniform(double lo, double hi); // [lo, hi)
  double normal();                      // N(0, 1)
  int64_t below(int64_t n);             // an integer in [0, n)

private:
  std::mt19937_64 engine;
};

enum class ParamInit {
  FromAttrs,     // each mlc.param's `init` and `scale`
  Uniform1,      // U(-1, 1) for all: no symmetric points such as all-ones
  UniformScaled, // U(-scale, scale), U(-1, 1) where `scale` is 0 (ones, zeros)
};

/// Initial values of every mlc.param of `module`, drawn in module order.
ParamMap initParams(mlir::ModuleOp module, Rng &rng, ParamInit how);

/// The name argument `i` of `fn` goes by: its `mlc.name`, `mlc.data`,
/// `mlc.param` or `mlc.state` attribute; "step" for the `mlc.step`
/// argument; else "arg<i>".
std::string argName(mlir::func::FuncOp fn, unsigned i);

/// The name result `i` of `fn` goes by: its `mlc.name`, `mlc.param`,
/// `mlc.state` or `mlc.grad` attribute, else "-".
std::string resultName(mlir::func::FuncOp fn, unsigned i);

/// Checks that every argument of `fn` is a ranked tensor.
mlir::LogicalResult verifyTensorArgs(mlir::func::FuncOp fn);

/// `type`'s shape with every `?` replaced by `batch`.
std::vector<int64_t> concreteShape(mlir::RankedTensorType type, int64_t batch);

/// The bound R of valid values of an i64 value, from its uses (through
/// reshape and permute): the table size of an `mlc.embedding` it indexes,
/// the class count of the logits it labels, else 4.
int64_t indexRange(mlir::Value value);

/// A random value for an argument: N(0, 1) for f32, U{0..R-1} for i64
/// with R = indexRange.
Tensor randomArg(mlir::BlockArgument arg, int64_t batch, Rng &rng);

} // namespace mlc::oracle

#endif // MLC_TEST_ORACLE_INPUTS_H
