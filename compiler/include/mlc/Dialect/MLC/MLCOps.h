//===- MLCOps.h - mlc dialect ops -------------------------------*- C++ -*-===//

#ifndef MLC_DIALECT_MLC_MLCOPS_H
#define MLC_DIALECT_MLC_MLCOPS_H

#include "mlc/Dialect/MLC/MLCDialect.h"
#include "mlc/Dialect/MLC/MLCInterfaces.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "mlc/Dialect/MLC/MLCOps.h.inc"

#endif // MLC_DIALECT_MLC_MLCOPS_H
