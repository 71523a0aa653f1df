//===- MLIRGen.h - Elaborated program to the mlc dialect --------*- C++ -*-===//
#ifndef MLC_IMPORT_MLIRGEN_H
#define MLC_IMPORT_MLIRGEN_H

#include "mlc/Frontend/Program.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace mlc {

/// Builds the module of one train block:
///   - module attributes: the trained model, batch size, epochs, optimizer;
///   - one `mlc.param` per parameter (state_dict name, initializer, frozen,
///     `init ... from` source);
///   - `func.func @loss(data...) -> (loss, metrics...)`: forward + loss;
///   - `func.func @predict(inputs...) -> output`: the model's forward.
/// Every op carries the DSL location of the expression it came from.
mlir::OwningOpRef<mlir::ModuleOp> mlirGen(mlir::MLIRContext &context, const Program &program,
                                          const SourceManager &sources);

} // namespace mlc

#endif // MLC_IMPORT_MLIRGEN_H
