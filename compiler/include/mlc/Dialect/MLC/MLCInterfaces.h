//===- MLCInterfaces.h - mlc op interfaces ----------------------*- C++ -*-===//
#ifndef MLC_DIALECT_MLC_MLCINTERFACES_H
#define MLC_DIALECT_MLC_MLCINTERFACES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/SmallVector.h"

#include "mlc/Dialect/MLC/MLCInterfaces.h.inc"

#endif // MLC_DIALECT_MLC_MLCINTERFACES_H
