//===- Passes.td - mlc passes ------------------------------*- tablegen -*-===//

#ifndef MLC_TRANSFORMS_PASSES_TD
#define MLC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def MlcAutodiff : Pass<"mlc-autodiff", "::mlir::ModuleOp"> {
  let summary = "Reverse-mode differentiation of @loss into @gradients";
  let description = [{
    Clones `func.func @loss` into `func.func @gradients`, which returns
    what `@loss` returns (the loss, then the metrics) followed by the
    gradient of the loss with respect to every trainable parameter that the
    loss depends on, each result tagged `{mlc.grad = "<state_dict name>"}`.

    The backward pass is a reverse walk from the loss over the ops of
    `@loss`; each op contributes its vector-Jacobian product through
    `DifferentiableOpInterface`, and adjoints of values with several uses
    accumulate with `mlc.add`. Only *active* values get adjoints: those that
    depend on a trainable (not frozen) parameter and that the loss depends
    on. Data, frozen parameters and labels therefore get no gradient, and no
    op is emitted to compute one. An op on an active path without a
    gradient rule (e.g. `mlc.accuracy`) is an error at its DSL location.

    ```mlir
    // before
    func.func @loss(%x: tensor<?x4xf32>) -> tensor<f32> {
      %w = mlc.param_ref @w : tensor<4xf32>
      %y = mlc.mul %x, %w : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
      %l = mlc.mean %y axes = [0, 1] : tensor<?x4xf32> -> tensor<f32>
      return %l : tensor<f32>
    }
    // added
    func.func @gradients(%x: tensor<?x4xf32>) -> (tensor<f32>, tensor<4xf32> {mlc.grad = "w"})
    ```
  }];
  let dependentDialects = ["::mlc::MLCDialect", "::mlir::func::FuncDialect"];
}

def MlcOptimizer : Pass<"mlc-optimizer", "::mlir::ModuleOp"> {
  let summary = "Synthesizes @train_step, @eval_step and @predict";
  let description = [{
    Turns the module's functions into the three entry points of a training
    executable, with every parameter passed as an argument (in `mlc.param`
    order, tagged `{mlc.param = "<name>"}`) instead of read by
    `mlc.param_ref`:

    - `@train_step(params, state, [step], data) -> (updated params, updated
      state, loss, metrics)`: `@gradients` followed by one fused update op per
      parameter that has a gradient (`mlc.adam_update` for Adam and AdamW,
      `mlc.sgd_update` for SGD), with the hyper-parameters of the module's
      `mlc.optimizer` attribute. Optimizer state exists only for updated
      parameters: `optimizer.<name>.exp_avg` and `.exp_avg_sq` for Adam(W),
      `optimizer.<name>.momentum_buffer` for SGD with momentum; the step
      `{mlc.step}` (a 0-d i64, counted from 1) only for Adam(W). Frozen
      parameters and parameters without a gradient are inputs only, as in
      PyTorch, which skips parameters whose `.grad` is None.
    - `@eval_step(params, data) -> (loss, metrics)`, from `@loss`.
    - `@predict(params, inputs) -> output`, from `@predict`.

    `@loss` and `@gradients` are removed.
  }];
  let dependentDialects = ["::mlc::MLCDialect", "::mlir::func::FuncDialect"];
}

def MlcSchedule : Pass<"mlc-schedule", "::mlir::ModuleOp"> {
  let summary = "Chooses how each op of the entry points is computed";
  let description = [{
    Annotates every op of `@train_step`, `@eval_step` and `@predict` with
    `mlc.schedule`, the decision Halide code generation applies:

    - `"fuse"`: an elementwise op whose only use is another elementwise op
      or a softmax; it is computed inside its consumer's loop, so a chain
      such as `sub -> mul -> div` becomes one loop nest and nothing in
      between is stored;
    - `"root"`: everything else (contractions, reductions, normalisations,
      losses, updates, values with several uses): computed once into its own
      buffer, vectorized along the contiguous dim and parallel over the
      outermost one.

    An elementwise op never fuses into a contraction or reduction, which
    would recompute it for every term of the sum. Also `"fuse"`: a
    permute or reshape (index arithmetic only) whose every reader reads it
    in place, however many readers it has (not a Linear layer or its
    weight gradient; a matmul reads only permutes); a contraction into its
    only, elementwise reader (the product's epilogue); on the CPU, a
    `softmax_grad` into the elementwise ops of its shape that read it (its
    row sums computed in their loop over rows).

    ```mlir
    %d = mlc.sub %a, %b {mlc.schedule = "fuse"} : ...
    %m = mlc.mul %d, %d {mlc.schedule = "root"} : ...
    ```

    With `gpu=true` (a CUDA or OpenCL target) every root op also gets
    `mlc.gpu`, the class of GPU schedule its kernel gets
    (lib/Target/Halide/ScheduleGPU.cpp):

    - `"gemm"`: a product, or the elementwise op a product fuses into:
      16x16 output tiles per thread block, the k loop in chunks of B staged
      in shared memory;
    - `"rows"`: softmax, log_softmax, layer_norm, softmax_grad: one thread
      per row, its
      statistics computed by that thread;
    - `"reduce"`: sums over dims (losses, bias and embedding gradients): one
      thread per output element, the reduction serial in it (no atomics, so
      results are the same bits on every run);
    - `"scalar"`: a 0-d result: one thread;
    - `"elementwise"`: 16x16 thread blocks over the two innermost dims.
  }];
  let options = [
    Option<"gpu", "gpu", "bool", /*default=*/"false",
           "Label root ops with their GPU schedule class (mlc.gpu)">,
  ];
  let dependentDialects = ["::mlc::MLCDialect", "::mlir::func::FuncDialect"];
}

#endif // MLC_TRANSFORMS_PASSES_TD
