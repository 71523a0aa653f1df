//===- MemoryPlan.cpp - The static memory plan ----------------------------===//

#include "mlc/Runtime/MemoryPlan.h"
#include "mlc/Runtime/Batches.h"
#include "mlc/Runtime/Format.h"
#include "mlc/Runtime/Program.h"
#include "mlc/Runtime/Tensor.h"

#include <fmt/format.h>

namespace mlc::rt {

namespace {

int64_t tensorBytes(const TensorSpec &spec) {
  return numElements(specDims(spec)) * int64_t(dtypeSize(spec.dtype));
}

} // namespace

MemoryPlan estimatePlan(const ModelSpec &model, int64_t batchSize) {
  MemoryPlan plan;
  plan.batchSize = batchSize;
  // Copies of each parameter and state tensor as the Trainer allocates
  // them: two of what train_step writes to a buffer of its own, one of what
  // it updates in place or does not update.
  std::vector<bool> inPlace = inPlaceOutputs(model.trainStep);
  auto copies = [&](ArgSpec::Role role, int count) {
    std::vector<int> c(size_t(count), 1);
    for (int i = 0; i < model.trainStep.numArgs; ++i) {
      const ArgSpec &arg = model.trainStep.args[i];
      if (arg.role == role && arg.output)
        c[size_t(arg.index)] = inPlace[size_t(i)] ? 1 : 2;
    }
    return c;
  };
  std::vector<int> paramCopies = copies(ArgSpec::Param, model.numParams);
  std::vector<int> stateCopies = copies(ArgSpec::State, model.numState);
  for (int i = 0; i < model.numParams; ++i)
    plan.params += tensorBytes(model.params[i].tensor) * paramCopies[size_t(i)];
  for (int i = 0; i < model.numState; ++i)
    plan.state += tensorBytes(model.params[model.state[i].param].tensor) * stateCopies[size_t(i)];
  for (int i = 0; i < model.numData; ++i)
    plan.batches += sampleBytes(model.data[i]) * batchSize;
  plan.batches += 8 + 4 * model.numOutputs;
  plan.estimate = model.scratchBytesPerSample * batchSize + model.scratchBytesFixed;
  plan.scratch = plan.estimate;
  if (model.trainStep.program) {
    ArenaPlan arena = planArena(*model.trainStep.program, batchSize,
                                /*share=*/!model.deviceInterface);
    plan.activations = arena.bytes;
    plan.unshared = arena.unshared;
  }
  return plan;
}

void printPlan(const MemoryPlan &plan, std::FILE *out) {
  auto line = [&](const char *what, int64_t bytes, const std::string &note) {
    fmt::print(out, "  {:<18}{:>12}{}\n", what, formatBytes(bytes), note);
  };
  fmt::print(out, "memory plan (batch size {}):\n", plan.batchSize);
  line("parameters", plan.params, "  (two copies of the trained ones not updated in place)");
  line("optimizer state", plan.state, "  (two copies unless updated in place)");
  line("data batches", plan.batches, "");
  if (plan.unshared)
    line("activations", plan.activations,
         fmt::format("  (train_step's temps, {} without sharing)", formatBytes(plan.unshared)));
  if (plan.unshared) // kernels: what Halide allocates inside them is measured
    line("kernel scratch", plan.scratch,
         plan.measured ? "  (Halide's buffers inside kernels, held after the first step)"
                       : "  (measured by train)");
  else
    line("pipeline scratch", plan.scratch,
         plan.measured ? fmt::format("  (held after the first step; compiler estimate {})",
                                     formatBytes(plan.estimate))
                       : std::string("  (compiler estimate)"));
  line("total", plan.total(), "");
}

} // namespace mlc::rt
