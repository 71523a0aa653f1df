//===- MLCOps.td - mlc dialect ops -------------------------*- tablegen -*-===//
//
// Every op of the mlc dialect. Element types and ranks are declared here;
// the shape relations between operands and results are checked by the C++
// verifiers in lib/Dialect/MLC/MLCOps.cpp. Result types are always given
// explicitly (no op infers its result type).
//
//===----------------------------------------------------------------------===//

#ifndef MLC_DIALECT_MLC_MLCOPS_TD
#define MLC_DIALECT_MLC_MLCOPS_TD

include "mlc/Dialect/MLC/MLCDialect.td"
include "mlc/Dialect/MLC/MLCInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Ops with a gradient rule (lib/Dialect/MLC/Gradients.cpp).
defvar Differentiable = DeclareOpInterfaceMethods<MLC_DifferentiableOpInterface>;
// ... and with operands that carry no gradient (labels, indices).
defvar DifferentiableSome = DeclareOpInterfaceMethods<MLC_DifferentiableOpInterface,
                                                     ["isDifferentiableOperand"]>;

//===----------------------------------------------------------------------===//
// Parameters
//===----------------------------------------------------------------------===//

def MLC_ParamOp : MLC_Op<"param", [Symbol, HasParent<"::mlir::ModuleOp">]> {
  let summary = "a trainable parameter of the model";
  let description = [{
    Declares a parameter tensor at module level. The symbol is the
    parameter's PyTorch `state_dict` key (`@encoder.0.weight` is a legal bare
    symbol), so checkpoints map one to one. `type` is a statically shaped
    `f32` tensor.

    `init` selects the initializer, parameterised by `scale`:

    | `init`      | initial value            |
    |-------------|--------------------------|
    | `"uniform"` | U(-`scale`, `scale`)     |
    | `"normal"`  | N(0, `scale`) (std. dev.) |
    | `"ones"`    | 1 (`scale` unused)       |
    | `"zeros"`   | 0 (`scale` unused)       |

    `frozen` marks a parameter that is not trained (it gets no gradient
    update). `init_from` names a source to load the initial value from
    instead (e.g. a checkpoint file) and `init_key` the entry to read in it;
    `init_key` is only allowed together with `init_from`.

    ```mlir
    mlc.param @encoder.0.weight : tensor<256x1000xf32> {init = "uniform", scale = 3.1e-02 : f64}
    mlc.param @encoder.0.bias : tensor<256xf32> {frozen, init = "zeros", scale = 0.0 : f64}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, TypeAttr:$type, StrAttr:$init,
                       F64Attr:$scale, UnitAttr:$frozen,
                       OptionalAttr<StrAttr>:$init_from,
                       OptionalAttr<StrAttr>:$init_key);
  let assemblyFormat = "$sym_name `:` $type attr-dict";
  let builders = [
    OpBuilder<(ins "::llvm::StringRef":$symName, "::mlir::Type":$type,
                   "::llvm::StringRef":$init, "double":$scale,
                   CArg<"bool", "false">:$frozen,
                   CArg<"::llvm::StringRef", "{}">:$initFrom,
                   CArg<"::llvm::StringRef", "{}">:$initKey), [{
      build($_builder, $_state, symName, type, init,
            ::llvm::APFloat(scale), frozen,
            initFrom.empty() ? ::mlir::StringAttr()
                             : $_builder.getStringAttr(initFrom),
            initKey.empty() ? ::mlir::StringAttr()
                            : $_builder.getStringAttr(initKey));
    }]>
  ];
  let hasVerifier = 1;
}

def MLC_ParamRefOp : MLC_Op<"param_ref",
    [Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "reads the current value of a parameter";
  let description = [{
    Yields the value of the `mlc.param` named by `param`, which must be
    declared in the nearest enclosing symbol table with exactly the result
    type.

    ```mlir
    %w = mlc.param_ref @encoder.0.weight : tensor<256x1000xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$param);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$param attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def MLC_ConstantOp : MLC_Op<"constant", [Pure]> {
  let summary = "a scalar f32 constant";
  let description = [{
    A 0-d `f32` tensor holding `value` (rounded to `f32`). Broadcasting
    binary ops combine it with tensors of any shape.

    ```mlir
    %half = mlc.constant 5.000000e-01 : tensor<f32>
    %y = mlc.mul %x, %half : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
    ```
  }];
  let arguments = (ins F64Attr:$value);
  let results = (outs MLC_F32Scalar:$result);
  let assemblyFormat = "$value attr-dict `:` type($result)";
  let builders = [
    OpBuilder<(ins "::mlir::Type":$result, "double":$value), [{
      build($_builder, $_state, result, $_builder.getF64FloatAttr(value));
    }]>
  ];
}

def MLC_IotaOp : MLC_Op<"iota", [Pure]> {
  let summary = "the sequence 0, 1, ..., n-1";
  let description = [{
    A static 1-D `i64` tensor of length n holding 0 to n-1, e.g. the
    positions of a sequence for a position embedding.

    ```mlir
    %pos = mlc.iota : tensor<16xi64>
    ```
  }];
  let results = (outs 1DTensorOf<[I64]>:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

class MLC_BinaryOp<string mnemonic, string formula>
    : MLC_Op<mnemonic, [Pure, Differentiable]> {
  let summary = "elementwise `" # formula # "` with broadcasting";
  let description = [{
    Computes `result = }] # formula # [{` elementwise on `f32` tensors.
    The operand shapes broadcast (numpy rules, aligned from the right; a `?`
    matches only a `?`); the result has the broadcast shape.

    ```mlir
    %r = mlc.}] # mnemonic # [{ %a, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$lhs, MLC_F32Tensor:$rhs);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def MLC_AddOp : MLC_BinaryOp<"add", "lhs + rhs">;
def MLC_SubOp : MLC_BinaryOp<"sub", "lhs - rhs">;
def MLC_MulOp : MLC_BinaryOp<"mul", "lhs * rhs">;
def MLC_DivOp : MLC_BinaryOp<"div", "lhs / rhs">;

class MLC_UnaryOp<string mnemonic, string formula, string extra = "">
    : MLC_Op<mnemonic, [Pure, Differentiable, SameOperandsAndResultType]> {
  let summary = "elementwise `" # formula # "`";
  let description = [{
    Computes `}] # formula # [{` for each element `x` of an `f32` tensor.
    }] # extra # [{

    ```mlir
    %y = mlc.}] # mnemonic # [{ %x : tensor<?x4xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$input);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def MLC_NegOp : MLC_UnaryOp<"neg", "-x">;
def MLC_ExpOp : MLC_UnaryOp<"exp", "exp(x)">;
def MLC_LogOp : MLC_UnaryOp<"log", "log(x)", "The natural logarithm.">;
def MLC_SqrtOp : MLC_UnaryOp<"sqrt", "sqrt(x)">;
def MLC_TanhOp : MLC_UnaryOp<"tanh", "tanh(x)">;
def MLC_SigmoidOp : MLC_UnaryOp<"sigmoid", "1 / (1 + exp(-x))">;
def MLC_ReluOp : MLC_UnaryOp<"relu", "max(x, 0)">;
def MLC_GeluOp : MLC_UnaryOp<"gelu", "x / 2 * (1 + erf(x / sqrt(2)))",
    "The exact, erf-based GELU: PyTorch's `nn.GELU()` default "
    "(`approximate='none'`), not the tanh approximation.">;

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

def MLC_MatmulOp : MLC_Op<"matmul", [Pure, Differentiable]> {
  let summary = "batched matrix product";
  let description = [{
    `torch.matmul` for operands of rank >= 2: `[..., M, K] x [..., K, P] ->
    [..., M, P]`. The leading (batch) dimensions broadcast with numpy rules,
    so a rank-2 operand is applied to every matrix of the other operand.

    ```mlir
    %s = mlc.matmul %q, %kt : tensor<?x8x16xf32>, tensor<?x16x8xf32> -> tensor<?x8x8xf32>
    %y = mlc.matmul %x, %w : tensor<?x8x16xf32>, tensor<16x32xf32> -> tensor<?x8x32xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$lhs, MLC_F32Tensor:$rhs);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def MLC_PermuteOp : MLC_Op<"permute", [Pure, Differentiable]> {
  let summary = "permutes the dimensions of a tensor";
  let description = [{
    `torch.permute`: result dimension `i` is input dimension `perm[i]`;
    `perm` is a permutation of `0 .. rank-1`.

    ```mlir
    %kt = mlc.permute %k perm = [0, 2, 1] : tensor<?x8x16xf32> -> tensor<?x16x8xf32>
    ```
  }];
  let arguments = (ins MLC_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs MLC_Tensor:$result);
  let assemblyFormat = [{
    $input `perm` `=` $perm attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def MLC_ReshapeOp : MLC_Op<"reshape", [Pure, Differentiable]> {
  let summary = "reinterprets a tensor with another shape";
  let description = [{
    Row-major reshape (`torch.reshape`). Input and result have the same
    element type, the same number of dynamic dimensions (0 or 1: the batch
    dimension) and the same product of static dimensions.

    ```mlir
    %flat = mlc.reshape %img : tensor<?x28x28xf32> -> tensor<?x784xf32>
    ```
  }];
  let arguments = (ins MLC_Tensor:$input);
  let results = (outs MLC_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reductions and normalisations
//===----------------------------------------------------------------------===//

class MLC_ReductionOp<string mnemonic, string what>
    : MLC_Op<mnemonic, [Pure, Differentiable]> {
  let summary = what # " over the given axes";
  let description = [{
    Computes the }] # what # [{ of `input` over `axes` (sorted, unique,
    each in `[0, rank)`). The reduced dimensions are removed from the result
    shape, or kept with size 1 when `keepdim` is set (PyTorch's
    `keepdim=True`).

    ```mlir
    %r = mlc.}] # mnemonic # [{ %x axes = [1] : tensor<?x4xf32> -> tensor<?xf32>
    %k = mlc.}] # mnemonic # [{ %x axes = [1] keepdim : tensor<?x4xf32> -> tensor<?x1xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$input, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keepdim);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = [{
    $input `axes` `=` $axes (`keepdim` $keepdim^)? attr-dict `:` type($input)
    `->` type($result)
  }];
  let hasVerifier = 1;
}

def MLC_SumOp : MLC_ReductionOp<"sum", "sum">;
def MLC_MeanOp : MLC_ReductionOp<"mean", "arithmetic mean">;
def MLC_MaxOp : MLC_ReductionOp<"max", "maximum">;

class MLC_SoftmaxBaseOp<string mnemonic, string formula>
    : MLC_Op<mnemonic, [Pure, Differentiable, SameOperandsAndResultType]> {
  let description = [{
    Computes `}] # formula # [{` along dimension `axis` (in `[0, rank)`)
    of an `f32` tensor, numerically stabilised by subtracting the maximum.

    ```mlir
    %p = mlc.}] # mnemonic # [{ %logits axis = 1 : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$input, I64Attr:$axis);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def MLC_SoftmaxOp : MLC_SoftmaxBaseOp<"softmax", "exp(x) / sum(exp(x))"> {
  let summary = "softmax along one axis";
}
def MLC_LogSoftmaxOp
    : MLC_SoftmaxBaseOp<"log_softmax", "x - log(sum(exp(x)))"> {
  let summary = "log-softmax along one axis";
}

//===----------------------------------------------------------------------===//
// Neural-network layers
//===----------------------------------------------------------------------===//

def MLC_LinearOp : MLC_Op<"linear", [Pure, Differentiable]> {
  let summary = "affine layer y = x W^T + b (PyTorch nn.Linear)";
  let description = [{
    Applies `weight` (`[out, in]`, PyTorch's layout) and the optional `bias`
    (`[out]`) to the last dimension of `input` (`[..., in]`, rank >= 1):
    `result[..., o] = sum_i input[..., i] * weight[o, i] + bias[o]`, of shape
    `[..., out]`.

    ```mlir
    %y = mlc.linear %x, %w, %b : tensor<?x784xf32>, tensor<256x784xf32>, tensor<256xf32> -> tensor<?x256xf32>
    %z = mlc.linear %h, %w2 : tensor<?x8x32xf32>, tensor<16x32xf32> -> tensor<?x8x16xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$input, MLC_F32Matrix:$weight,
                       Optional<MLC_F32Vector>:$bias);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,`
    type($weight) (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def MLC_LayerNormOp : MLC_Op<"layer_norm", [Pure, Differentiable]> {
  let summary = "layer normalisation over the last dimension";
  let description = [{
    PyTorch `nn.LayerNorm(d, eps)`: normalises `input` (`[..., d]`) over its
    last dimension with the biased variance, then scales by `weight` (`[d]`)
    and shifts by `bias` (`[d]`):
    `result = (x - mean) / sqrt(var + eps) * weight + bias`. The result has
    the type of `input`.

    ```mlir
    %n = mlc.layer_norm %x, %g, %b eps = 1.000000e-05 : tensor<?x8x32xf32>, tensor<32xf32>, tensor<32xf32> -> tensor<?x8x32xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$input, MLC_F32Vector:$weight,
                       MLC_F32Vector:$bias, F64Attr:$eps);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias `eps` `=` $eps attr-dict `:` type($input) `,`
    type($weight) `,` type($bias) `->` type($result)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Type":$result, "::mlir::Value":$input,
                   "::mlir::Value":$weight, "::mlir::Value":$bias,
                   "double":$eps), [{
      build($_builder, $_state, result, input, weight, bias,
            $_builder.getF64FloatAttr(eps));
    }]>
  ];
  let hasVerifier = 1;
}

def MLC_EmbeddingOp : MLC_Op<"embedding", [Pure, DifferentiableSome]> {
  let summary = "table lookup (PyTorch nn.Embedding)";
  let description = [{
    Gathers rows of `weight` (`[V, D]`) at the `i64` `indices` (any rank):
    `result[idx..., d] = weight[indices[idx...], d]`, of shape
    `[indices..., D]`. Indices must be in `[0, V)`.

    ```mlir
    %e = mlc.embedding %table, %tokens : tensor<1000x32xf32>, tensor<?x16xi64> -> tensor<?x16x32xf32>
    ```
  }];
  let arguments = (ins MLC_F32Matrix:$weight, MLC_I64Tensor:$indices);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = [{
    $weight `,` $indices attr-dict `:` type($weight) `,` type($indices) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def MLC_CausalMaskOp : MLC_Op<"causal_mask",
    [Pure, Differentiable, SameOperandsAndResultType]> {
  let summary = "masks attention scores above the diagonal";
  let description = [{
    For attention scores `[..., T, T]` (before the softmax), sets every
    entry whose column is greater than its row to `-inf` and keeps the
    others, so that position `t` attends only to positions `<= t`.

    ```mlir
    %m = mlc.causal_mask %scores : tensor<?x16x16xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$input);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Losses and metrics
//===----------------------------------------------------------------------===//

def MLC_MseLossOp : MLC_Op<"mse_loss", [Pure, Differentiable]> {
  let summary = "mean squared error";
  let description = [{
    `F.mse_loss(input, target)` with reduction `mean`: the mean of
    `(input - target)^2` over all elements. Both operands have the same
    shape.

    ```mlir
    %l = mlc.mse_loss %y, %t : tensor<?x784xf32>, tensor<?x784xf32> -> tensor<f32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$input, MLC_F32Tensor:$target);
  let results = (outs MLC_F32Scalar:$result);
  let assemblyFormat = [{
    $input `,` $target attr-dict `:` type($input) `,` type($target) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def MLC_CrossEntropyOp : MLC_Op<"cross_entropy", [Pure, DifferentiableSome]> {
  let summary = "softmax cross-entropy with integer class labels";
  let description = [{
    `F.cross_entropy(logits, labels)` with reduction `mean`. `logits` is
    `[B, C]` or `[B, T, C]` (classes last) and `labels` holds class indices
    of shape `[B]` or `[B, T]`, i.e. the shape of `logits` without its last
    dimension. The result is the mean of `-log_softmax(logits)[label]` over
    all label positions (B, or B*T).

    ```mlir
    %l = mlc.cross_entropy %logits, %labels : tensor<?x10xf32>, tensor<?xi64> -> tensor<f32>
    %m = mlc.cross_entropy %lm, %next : tensor<?x16x1000xf32>, tensor<?x16xi64> -> tensor<f32>
    ```
  }];
  let arguments = (ins TensorRankOf<[F32], [2, 3]>:$logits,
                       TensorRankOf<[I64], [1, 2]>:$labels);
  let results = (outs MLC_F32Scalar:$result);
  let assemblyFormat = [{
    $logits `,` $labels attr-dict `:` type($logits) `,` type($labels) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def MLC_AccuracyOp : MLC_Op<"accuracy", [Pure]> {
  let summary = "fraction of positions where the arg-max class is the label";
  let description = [{
    Takes the operands of `mlc.cross_entropy` and returns the fraction of
    label positions where `argmax(logits)` over the last dimension equals
    the label. A metric only: it is not differentiable and must not be on
    the path from the loss to the parameters.

    ```mlir
    %a = mlc.accuracy %logits, %labels : tensor<?x10xf32>, tensor<?xi64> -> tensor<f32>
    ```
  }];
  let arguments = (ins TensorRankOf<[F32], [2, 3]>:$logits,
                       TensorRankOf<[I64], [1, 2]>:$labels);
  let results = (outs MLC_F32Scalar:$result);
  let assemblyFormat = [{
    $logits `,` $labels attr-dict `:` type($logits) `,` type($labels) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

include "mlc/Dialect/MLC/MLCTrainOps.td"

#endif // MLC_DIALECT_MLC_MLCOPS_TD
