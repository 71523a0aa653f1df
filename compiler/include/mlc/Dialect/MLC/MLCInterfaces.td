//===- MLCInterfaces.td - mlc op interfaces ----------------*- tablegen -*-===//
//
// The gradient interface: reverse-mode autodiff is one generic pass over
// this interface; every differentiable op states its vector-Jacobian product
// (VJP) in lib/Dialect/MLC/Gradients.cpp, one short rule per op.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_DIALECT_MLC_MLCINTERFACES_TD
#define MLC_DIALECT_MLC_MLCINTERFACES_TD

include "mlir/IR/OpBase.td"

def MLC_DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::mlc";
  let description = [{
    An op that reverse-mode autodiff (`-mlc-autodiff`) can differentiate.
    Given the adjoint (gradient of the loss) of each result, `buildVJP`
    builds ops that compute the adjoint of each operand `i` with
    `wanted[i]` set, and returns null for the others, so no op computes a
    gradient that nobody needs (data, frozen parameters).

    Operands that cannot carry a gradient (class labels, token ids) say so
    through `isDifferentiableOperand`; autodiff never asks for them. Ops
    without this interface (e.g. `mlc.accuracy`) cannot appear on a path from
    a trainable parameter to the loss.

    ```mlir
    // y = exp(x)  =>  dx = dy * y
    %dx = mlc.mul %dy, %y : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
    ```
  }];
  let methods = [
    InterfaceMethod<
      "Whether operand `index` can carry a gradient.",
      "bool", "isDifferentiableOperand", (ins "unsigned":$index), [{}],
      [{ return true; }]>,
    InterfaceMethod<[{
      Builds the vector-Jacobian product at the builder's insertion point.
      `resultGrads` holds one adjoint per result (null when that result does
      not reach the loss). Fills `operandGrads` with one value per operand:
      the adjoint, of the operand's exact type, where `wanted[i]`, else null.
      Forward values (operands and results of this op) may be used freely.
    }],
      "::mlir::LogicalResult", "buildVJP",
      (ins "::mlir::OpBuilder &":$b,
           "::llvm::ArrayRef<::mlir::Value>":$resultGrads,
           "::llvm::ArrayRef<bool>":$wanted,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads)>,
  ];
}

#endif // MLC_DIALECT_MLC_MLCINTERFACES_TD
