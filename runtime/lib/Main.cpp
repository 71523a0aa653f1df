//===- Main.cpp - main() of every executable mlc compiles -----------------===//
//
// Kept in its own object so that tests can link the runtime without it.
//
//===----------------------------------------------------------------------===//

#include "mlc/Runtime/Commands.h"

int main(int argc, char **argv) { return mlc::rt::runMain(mlc::rt::kModel, argc, argv); }
