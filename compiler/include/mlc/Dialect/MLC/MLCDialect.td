//===- MLCDialect.td - the mlc dialect, its op base and types --*- tablegen -*-===//
//
// The dialect definition, the base class of its ops and the tensor type
// constraints every op uses.
//
//===----------------------------------------------------------------------===//

#ifndef MLC_DIALECT_MLC_MLCDIALECT_TD
#define MLC_DIALECT_MLC_MLCDIALECT_TD

include "mlir/IR/OpBase.td"

def MLC_Dialect : Dialect {
  let name = "mlc";
  let cppNamespace = "::mlc";
  let summary = "Tensor-level ops of the mlc training DSL.";
  let description = [{
    The `mlc` dialect is what the DSL front end emits: a model's trainable
    parameters as module-level symbols, and its forward computation and loss
    as `func.func` bodies over value-semantics tensors.

    **Types.** Every value is a `RankedTensorType` with element type `f32`
    (data) or `i64` (class labels, token ids, `mlc.iota`). Shapes are static
    except the batch dimension, written `?`. A `?` always stands for the
    same batch size N, so two dimensions are *compatible* when they are equal
    or both dynamic; a dynamic dimension never matches a static one.

    **Broadcasting** follows numpy: shapes are aligned from the right, a
    missing dimension counts as a static 1, and two dimensions broadcast when
    they are compatible or one of them is a static 1 (the result takes the
    other).

    **Parameters** are `mlc.param` symbols named after their PyTorch
    `state_dict` key; functions read them with `mlc.param_ref`.

    ```mlir
    mlc.param @fc.weight : tensor<10x784xf32> {init = "uniform", scale = 3.5e-02 : f64}
    mlc.param @fc.bias : tensor<10xf32> {init = "zeros", scale = 0.0 : f64}

    func.func @forward(%x: tensor<?x784xf32>) -> tensor<?x10xf32> {
      %w = mlc.param_ref @fc.weight : tensor<10x784xf32>
      %b = mlc.param_ref @fc.bias : tensor<10xf32>
      %y = mlc.linear %x, %w, %b : tensor<?x784xf32>, tensor<10x784xf32>, tensor<10xf32> -> tensor<?x10xf32>
      return %y : tensor<?x10xf32>
    }
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def MLC_F32Tensor : RankedTensorOf<[F32]>;
def MLC_I64Tensor : RankedTensorOf<[I64]>;
def MLC_Tensor : RankedTensorOf<[F32, I64]>;
def MLC_F32Scalar : 0DTensorOf<[F32]>;
def MLC_F32Vector : 1DTensorOf<[F32]>;
def MLC_F32Matrix : 2DTensorOf<[F32]>;

//===----------------------------------------------------------------------===//
// Op base class
//===----------------------------------------------------------------------===//

class MLC_Op<string mnemonic, list<Trait> traits = []>
    : Op<MLC_Dialect, mnemonic, traits>;

#endif // MLC_DIALECT_MLC_MLCDIALECT_TD
