//===- MLCTrainOps.td - ops that autodiff and the optimizer emit -*- tablegen -*-===//
//
// The DSL never writes these: -mlc-autodiff emits the backward helpers (each
// a gradient kernel worth keeping whole for code generation, e.g. the weight
// gradient of a linear layer is one GEMM), and -mlc-optimizer emits one fused
// update op per trainable parameter.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_DIALECT_MLC_MLCTRAINOPS_TD
#define MLC_DIALECT_MLC_MLCTRAINOPS_TD

//===----------------------------------------------------------------------===//
// Shape helpers of the backward pass
//===----------------------------------------------------------------------===//

def MLC_BroadcastOp : MLC_Op<"broadcast", [Pure]> {
  let summary = "broadcasts a tensor to a larger shape";
  let description = [{
    numpy `broadcast_to`: the result shape must be the broadcast of the
    input shape and the result shape (dims aligned from the right; a static
    1 stretches). Autodiff uses it to send the adjoint of a reduction back
    to every element.

    ```mlir
    %b = mlc.broadcast %g : tensor<?x1xf32> -> tensor<?x8xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$input);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def MLC_CountOp : MLC_Op<"count", [Pure]> {
  let summary = "the number of elements over some axes, as f32";
  let description = [{
    The product of the sizes of `input`'s dims listed in `axes` (all dims
    when `axes` is empty), as a 0-d `f32` tensor. It is known only at run
    time when an axis is the batch dim, which is why it is an op: the mean
    and MSE gradients divide by it.

    ```mlir
    %n = mlc.count %x axes = [0, 1] : tensor<?x8xf32> -> tensor<f32>
    ```
  }];
  let arguments = (ins MLC_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs MLC_F32Scalar:$result);
  let assemblyFormat = [{
    $input `axes` `=` $axes attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Backward kernels
//===----------------------------------------------------------------------===//

class MLC_ActivationGradOp<string mnemonic, string forward, string derivative>
    : MLC_Op<mnemonic, [Pure, AllTypesMatch<["input", "grad", "result"]>]> {
  let summary = "the input gradient of `" # forward # "`";
  let description = [{
    Given the forward input `x` and the adjoint `dy` of `}] # forward # [{(x)`,
    computes `dx = dy * }] # derivative # [{` elementwise.

    ```mlir
    %dx = mlc.}] # mnemonic # [{ %x, %dy : tensor<?x4xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$input, MLC_F32Tensor:$grad);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = "$input `,` $grad attr-dict `:` type($input)";
}

// Autodiff passes relu's output rather than its input (relu(x) > 0 exactly
// when x > 0): the layer before the relu then has one reader, so its
// product and the relu run as one kernel.
def MLC_ReluGradOp : MLC_ActivationGradOp<"relu_grad", "relu",
    "(x > 0 ? 1 : 0)` (the same with `relu(x)` in place of `x`)`">;
def MLC_GeluGradOp : MLC_ActivationGradOp<"gelu_grad", "gelu",
    "(Phi(x) + x * phi(x))` with `Phi`, `phi` the standard normal CDF and density`">;

def MLC_CausalMaskGradOp : MLC_Op<"causal_mask_grad",
    [Pure, SameOperandsAndResultType]> {
  let summary = "the input gradient of `mlc.causal_mask`";
  let description = [{
    Zeroes the entries above the diagonal of the last two dims (column >
    row): the masked scores receive no gradient.

    ```mlir
    %dx = mlc.causal_mask_grad %ds : tensor<?x4x16x16xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$input);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def MLC_MaxGradOp : MLC_Op<"max_grad", [Pure]> {
  let summary = "the input gradient of `mlc.max`";
  let description = [{
    Routes `grad` (the adjoint of `mlc.max %input axes = [...]`, of that
    op's result shape) to the position of the maximum of each reduced group
    and zero elsewhere. When a group holds several maxima, the first in
    row-major order receives the gradient (PyTorch's `max(dim)` does the
    same through its index). The result has `input`'s type.

    ```mlir
    %dx = mlc.max_grad %x, %dy axes = [1] : tensor<?x8xf32>, tensor<?xf32> -> tensor<?x8xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$input, MLC_F32Tensor:$grad,
                       DenseI64ArrayAttr:$axes, UnitAttr:$keepdim);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $grad `axes` `=` $axes (`keepdim` $keepdim^)? attr-dict `:`
    type($input) `,` type($grad) `->` type($result)
  }];
  let hasVerifier = 1;
}

def MLC_SoftmaxGradOp : MLC_Op<"softmax_grad",
    [Pure, AllTypesMatch<["softmax", "grad", "result"]>]> {
  let summary = "the input gradient of `mlc.softmax`";
  let description = [{
    For `y = softmax(x)` along `axis` (`softmax`, that op's result) and
    its adjoint `dy` (`grad`): `result = y * (dy - sum(dy * y, axis))`. One op, so that each row's sum is computed where that row of
    the gradient is written: as `mul`, `sum` and an elementwise kernel it
    read and wrote the scores three times (1.2-1.5 ms a step per layer on
    gpt's `[16, 4, 128, 128]`).

    ```mlir
    %dx = mlc.softmax_grad %y, %dy axis = 2 : tensor<?x6x6xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$softmax, MLC_F32Tensor:$grad, I64Attr:$axis);
  let results = (outs MLC_F32Tensor:$result);
  let assemblyFormat = [{
    $softmax `,` $grad `axis` `=` $axis attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

def MLC_LinearWeightGradOp : MLC_Op<"linear_weight_grad", [Pure]> {
  let summary = "the weight gradient of `mlc.linear`";
  let description = [{
    `dW[o, i] = sum over all leading positions p of dy[p, o] * x[p, i]` for
    `dy` `[..., out]` and the layer input `x` `[..., in]` with the same
    leading dims: one GEMM whose reduction runs over the batch (and
    sequence) positions. The bias gradient is a plain `mlc.sum`.

    ```mlir
    %dw = mlc.linear_weight_grad %dy, %x : tensor<?x16x8xf32>, tensor<?x16x4xf32> -> tensor<8x4xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$grad, MLC_F32Tensor:$input);
  let results = (outs MLC_F32Matrix:$result);
  let assemblyFormat = [{
    $grad `,` $input attr-dict `:` type($grad) `,` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def MLC_LayerNormGradOp : MLC_Op<"layer_norm_grad",
    [Pure, AllTypesMatch<["input", "grad", "input_grad"]>,
     AllTypesMatch<["weight", "weight_grad", "bias_grad"]>]> {
  let summary = "the gradients of `mlc.layer_norm`";
  let description = [{
    For `y = layer_norm(x, weight, bias, eps)` over the last dim `d` and its
    adjoint `dy`, with `xhat = (x - mean) * rstd`:
    - `input_grad = rstd * (g - mean(g) - xhat * mean(g * xhat))` where
      `g = dy * weight` and the means run over the last dim;
    - `weight_grad = sum over leading positions of dy * xhat`;
    - `bias_grad = sum over leading positions of dy`.

    ```mlir
    %dx, %dw, %db = mlc.layer_norm_grad %x, %w, %dy eps = 1.000000e-05 : tensor<?x32xf32>, tensor<32xf32>, tensor<?x32xf32>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$input, MLC_F32Vector:$weight,
                       MLC_F32Tensor:$grad, F64Attr:$eps);
  let results = (outs MLC_F32Tensor:$input_grad, MLC_F32Vector:$weight_grad,
                      MLC_F32Vector:$bias_grad);
  let assemblyFormat = [{
    $input `,` $weight `,` $grad `eps` `=` $eps attr-dict `:` type($input) `,`
    type($weight) `,` type($grad)
  }];
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$weight,
                   "::mlir::Value":$grad, "double":$eps), [{
      build($_builder, $_state, input.getType(), weight.getType(),
            weight.getType(), input, weight, grad, $_builder.getF64FloatAttr(eps));
    }]>
  ];
}

def MLC_EmbeddingGradOp : MLC_Op<"embedding_grad", [Pure]> {
  let summary = "the weight gradient of `mlc.embedding`";
  let description = [{
    Scatter-adds the adjoint rows: `result[v, :] = sum of grad[p, :]` over
    the positions `p` with `indices[p] == v`; rows never indexed are zero.
    The result is the `[V, D]` table's type; `grad` is `[indices..., D]`.

    ```mlir
    %dw = mlc.embedding_grad %ids, %dy : tensor<?x16xi64>, tensor<?x16x32xf32> -> tensor<96x32xf32>
    ```
  }];
  let arguments = (ins MLC_I64Tensor:$indices, MLC_F32Tensor:$grad);
  let results = (outs MLC_F32Matrix:$result);
  let assemblyFormat = [{
    $indices `,` $grad attr-dict `:` type($indices) `,` type($grad) `->` type($result)
  }];
  let hasVerifier = 1;
}

def MLC_CrossEntropyGradOp : MLC_Op<"cross_entropy_grad",
    [Pure, AllTypesMatch<["logits", "result"]>]> {
  let summary = "the logits gradient of `mlc.cross_entropy`";
  let description = [{
    `result = (softmax(logits) - one_hot(labels)) * grad / P` over the last
    dim, where `P` is the number of label positions (the loss is their
    mean) and `grad` the 0-d adjoint of the loss.

    ```mlir
    %dl = mlc.cross_entropy_grad %logits, %labels, %g : tensor<?x10xf32>, tensor<?xi64>, tensor<f32>
    ```
  }];
  let arguments = (ins TensorRankOf<[F32], [2, 3]>:$logits,
                       TensorRankOf<[I64], [1, 2]>:$labels,
                       MLC_F32Scalar:$grad);
  let results = (outs TensorRankOf<[F32], [2, 3]>:$result);
  let assemblyFormat = [{
    $logits `,` $labels `,` $grad attr-dict `:` type($logits) `,` type($labels)
    `,` type($grad)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Optimizer updates (PyTorch's formulas)
//===----------------------------------------------------------------------===//

def MLC_SgdUpdateOp : MLC_Op<"sgd_update", [Pure]> {
  let summary = "one torch.optim.SGD step for one parameter";
  let description = [{
    PyTorch's SGD with dampening 0 and nesterov off:
    ```
    g = grad + weight_decay * param
    buf = momentum * buf + g          (only when momentum != 0; buf starts at 0,
                                       which equals PyTorch's buf = g at step 1)
    param = param - lr * (momentum != 0 ? buf : g)
    ```
    With `momentum` 0 there is no buffer operand or result.

    ```mlir
    %p1, %b1 = mlc.sgd_update %p, %g, %b {lr = 1.0e-01 : f64, momentum = 9.0e-01 : f64, weight_decay = 0.0 : f64} : (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>)
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$param, MLC_F32Tensor:$grad,
                       Optional<MLC_F32Tensor>:$momentum_buffer,
                       F64Attr:$lr, F64Attr:$momentum, F64Attr:$weight_decay);
  let results = (outs MLC_F32Tensor:$new_param,
                      Optional<MLC_F32Tensor>:$new_momentum_buffer);
  let assemblyFormat = [{
    $param `,` $grad (`,` $momentum_buffer^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def MLC_AdamUpdateOp : MLC_Op<"adam_update",
    [Pure, AllTypesMatch<["param", "grad", "exp_avg", "exp_avg_sq", "new_param",
                          "new_exp_avg", "new_exp_avg_sq"]>]> {
  let summary = "one torch.optim.Adam or AdamW step for one parameter";
  let description = [{
    PyTorch's Adam (amsgrad off), step `t` counted from 1:
    ```
    if decoupled: param = param * (1 - lr * weight_decay)     (AdamW)
    else:         g = grad + weight_decay * param             (Adam)
    exp_avg    = beta1 * exp_avg + (1 - beta1) * g
    exp_avg_sq = beta2 * exp_avg_sq + (1 - beta2) * g * g
    denom = sqrt(exp_avg_sq) / sqrt(1 - beta2^t) + eps
    param = param - lr / (1 - beta1^t) * exp_avg / denom
    ```

    ```mlir
    %p1, %m1, %v1 = mlc.adam_update %p, %g, %m, %v, %t {beta1 = 9.0e-01 : f64, beta2 = 9.99e-01 : f64, eps = 1.0e-08 : f64, lr = 1.0e-03 : f64, weight_decay = 0.0 : f64} : tensor<4x2xf32>, tensor<i64>
    ```
  }];
  let arguments = (ins MLC_F32Tensor:$param, MLC_F32Tensor:$grad,
                       MLC_F32Tensor:$exp_avg, MLC_F32Tensor:$exp_avg_sq,
                       0DTensorOf<[I64]>:$step,
                       F64Attr:$lr, F64Attr:$beta1, F64Attr:$beta2, F64Attr:$eps,
                       F64Attr:$weight_decay, UnitAttr:$decoupled);
  let results = (outs MLC_F32Tensor:$new_param, MLC_F32Tensor:$new_exp_avg,
                      MLC_F32Tensor:$new_exp_avg_sq);
  let assemblyFormat = [{
    $param `,` $grad `,` $exp_avg `,` $exp_avg_sq `,` $step attr-dict `:`
    type($param) `,` type($step)
  }];
  let hasVerifier = 1;
}

#endif // MLC_DIALECT_MLC_MLCTRAINOPS_TD
