//===- HalideRuntimeGen.cpp - Write a standalone Halide runtime object ----===//
//
// Test-only: `mlc compile` links one standalone Halide runtime object into
// every executable; the runtime's tests link the same kind of object, built
// here for the host with libHalide.
//
//===----------------------------------------------------------------------===//

#include <Halide.h>

#include <cstdio>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT.o\n", argv[0]);
    return 1;
  }
  Halide::compile_standalone_runtime(argv[1], Halide::get_host_target());
  return 0;
}
