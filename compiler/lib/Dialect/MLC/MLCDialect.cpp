//===- MLCDialect.cpp - the mlc dialect -----------------------------------===//

#include "mlc/Dialect/MLC/MLCDialect.h"
#include "mlc/Dialect/MLC/MLCOps.h"

using namespace mlir;
using namespace mlc;

#include "mlc/Dialect/MLC/MLCOpsDialect.cpp.inc"

void MLCDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "mlc/Dialect/MLC/MLCOps.cpp.inc"
      >();
}
