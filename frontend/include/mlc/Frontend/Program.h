//===- Program.h - A train block elaborated into a typed graph --*- C++ -*-===//
//
// Sema turns a train block into a Program: the flat list of parameters (with
// PyTorch state_dict names, shapes and initializers) and two dataflow graphs
// whose nodes are fully shaped tensor operations, one per mlc dialect op.
// Models are instantiated and their forward bodies inlined at each call, so
// every shape is concrete except the batch dimension N. MLIRGen translates
// a Program one node to one op; nothing here depends on MLIR.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_FRONTEND_PROGRAM_H
#define MLC_FRONTEND_PROGRAM_H

#include "mlc/Frontend/Source.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mlc {

enum class DType { F32, I64 };
const char *dtypeName(DType t);

/// The symbolic batch dimension N.
constexpr int64_t kBatchDim = -1;

struct TensorType {
  DType dtype = DType::F32;
  std::vector<int64_t> dims; // kBatchDim for N
  size_t rank() const { return dims.size(); }
  bool operator==(const TensorType &o) const {
    return dtype == o.dtype && dims == o.dims;
  }
  bool operator!=(const TensorType &o) const { return !(*this == o); }
  /// "f32[N, 4]"
  std::string str() const;
};

enum class OpKind {
  // Leaves.
  Input,    // a graph input (data or forward argument); index = input number
  Param,    // a parameter; index = Program::params position
  Constant, // scalar f32; fvalue
  Iota,     // i64[n] = 0..n-1
  // Elementwise f32 with broadcasting.
  Add, Sub, Mul, Div,
  // Elementwise f32 unary.
  Neg, Exp, Log, Sqrt, Tanh, Sigmoid, Relu, Gelu,
  // Shape and contraction.
  Matmul,  // batched, broadcasting batch dims
  Permute, // ints = permutation
  Reshape, // to type
  // Reductions: ints = sorted axes, flag = keepdim.
  Sum, Mean, Max,
  // Composites kept as ops.
  Softmax, LogSoftmax, // ints[0] = axis
  Linear,              // input, weight[, bias]
  LayerNorm,           // input, weight, bias; fvalue = eps
  Embedding,           // weight, indices
  CausalMask,
  // Losses and metrics (scalar results).
  MseLoss, CrossEntropy, Accuracy,
};

struct Node {
  OpKind kind;
  std::vector<int> operands; // node ids
  TensorType type;
  SourceRange range;
  double fvalue = 0;
  std::vector<int64_t> ints;
  bool flag = false;
  int index = -1;
};

struct Graph {
  std::vector<Node> nodes;
  struct Port {
    std::string name;
    int node;
  };
  std::vector<Port> inputs;  // Input nodes, in declaration order
  std::vector<Port> outputs; // e.g. loss, then metrics
};

enum class InitKind { Uniform, Normal, Ones, Zeros };
const char *initKindName(InitKind kind);

struct Parameter {
  std::string name; // PyTorch state_dict name, e.g. "encoder.0.weight"
  TensorType type;
  InitKind init = InitKind::Zeros;
  double scale = 0; // uniform bound or normal std
  bool frozen = false;
  std::string initFrom; // checkpoint named by `init ... from`
  std::string initKey;  // the tensor's name in that checkpoint
  SourceRange range;    // the layer that created it
};

struct Optimizer {
  std::string kind; // "SGD", "Adam", "AdamW"
  // All hyper-parameters with PyTorch's defaults filled in, in a fixed order.
  std::vector<std::pair<std::string, std::vector<double>>> hyper;
};

struct Program {
  std::string name;  // the train block
  std::string model; // the trained model's name
  SourceRange range;
  std::vector<Parameter> params;
  Graph loss;    // inputs: data; outputs: "loss", then each metric
  Graph predict; // inputs: the model's forward arguments; output: "output"
  Optimizer optimizer;
  int64_t batchSize = 32;
  int64_t epochs = 1;
};

} // namespace mlc

#endif // MLC_FRONTEND_PROGRAM_H
