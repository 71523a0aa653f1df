//===- MLCDialect.h - the mlc dialect ---------------------------*- C++ -*-===//

#ifndef MLC_DIALECT_MLC_MLCDIALECT_H
#define MLC_DIALECT_MLC_MLCDIALECT_H

#include "mlir/IR/Dialect.h"

#include "mlc/Dialect/MLC/MLCOpsDialect.h.inc"

#endif // MLC_DIALECT_MLC_MLCDIALECT_H
