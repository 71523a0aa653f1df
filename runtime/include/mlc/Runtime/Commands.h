//===- Commands.h - train, eval, predict, info ------------------*- C++ -*-===//
//
// The executable's commands, with their flags already parsed (Cli.cpp).
// Each returns the exit status and throws a UserError for a user error.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_COMMANDS_H
#define MLC_RUNTIME_COMMANDS_H

#include "mlc/Runtime/Model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlc::rt {

struct TrainOptions {
  std::vector<std::string> data; // NAME=PATH
  std::optional<int64_t> epochs, steps, batchSize;
  std::optional<double> lr;
  std::optional<uint64_t> seed;
  std::optional<bool> shuffle;
  std::string init, save, resume, log; // empty: not given
  int threads = 0;                     // 0: Halide's default
  int device = -1;                     // GPU models: -1 Halide's default
  bool profile = false;                // time every kernel call
};

struct EvalOptions {
  std::string weights;
  std::vector<std::string> data;
  std::optional<int64_t> batchSize;
  int threads = 0;
  int device = -1;
};

struct PredictOptions {
  std::string weights, out;
  std::vector<std::string> data;
  std::optional<int64_t> batchSize;
  int threads = 0;
  int device = -1;
};

int runTrain(const ModelSpec &model, const TrainOptions &options);
int runEval(const ModelSpec &model, const EvalOptions &options);
int runPredict(const ModelSpec &model, const PredictOptions &options);
int runInfo(const ModelSpec &model);

/// Parses the command line, runs the command and turns errors into
/// `error: ...` on stderr and exit status 1.
int runMain(const ModelSpec &model, int argc, char **argv);

} // namespace mlc::rt

#endif // MLC_RUNTIME_COMMANDS_H
