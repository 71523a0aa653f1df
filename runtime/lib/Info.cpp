//===- Info.cpp - The info command ----------------------------------------===//

#include "mlc/Runtime/Commands.h"
#include "mlc/Runtime/Format.h"
#include "mlc/Runtime/MemoryPlan.h"
#include "mlc/Runtime/Pipeline.h"
#include "mlc/Runtime/Tensor.h"

#include <fmt/format.h>

#include <algorithm>

namespace mlc::rt {

namespace {

std::string formatInit(const ParamSpec &p) {
  if (p.initFrom)
    return fmt::format("from {}:{}", p.initFrom, p.initKey ? p.initKey : p.tensor.name);
  std::string init = p.init ? p.init : "zeros";
  if (init == "uniform")
    return fmt::format("uniform(-{0:.4g}, {0:.4g})", p.scale);
  if (init == "normal")
    return fmt::format("normal(0, {:.4g})", p.scale);
  return init;
}

const char *roleName(const ArgSpec &arg) {
  switch (arg.role) {
  case ArgSpec::Param:
    return "param";
  case ArgSpec::State:
    return "state";
  case ArgSpec::Step:
    return "step";
  case ArgSpec::Data:
    return "data";
  case ArgSpec::Output:
    return "output";
  }
  return "?";
}

/// "2 param, 2 state, step, 2 data": the inputs or outputs of a pipeline.
std::string summarizeArgs(const FunctionSpec &fn, bool outputs) {
  std::string s;
  for (ArgSpec::Role role :
       {ArgSpec::Param, ArgSpec::State, ArgSpec::Step, ArgSpec::Data, ArgSpec::Output}) {
    int count = 0;
    const ArgSpec *any = nullptr;
    for (int i = 0; i < fn.numArgs; ++i)
      if (fn.args[i].role == role && fn.args[i].output == outputs) {
        ++count;
        any = &fn.args[i];
      }
    if (count)
      s += fmt::format("{}{}{}", s.empty() ? "" : ", ",
                       count > 1 ? std::to_string(count) + " " : "", roleName(*any));
  }
  return s;
}

void printInputs(const char *title, const TensorSpec *specs, int count) {
  fmt::print("{}:\n", title);
  for (int i = 0; i < count; ++i)
    fmt::print("  {:<24} {}\n", specs[i].name, formatSpec(specs[i]));
}

} // namespace

int runInfo(const ModelSpec &model) {
  checkModel(model);
  fmt::print("model {} (train block '{}'), target {}\n", model.modelName, model.trainName,
             model.target);

  std::vector<bool> trained(size_t(model.numParams), false);
  for (int i = 0; i < model.trainStep.numArgs; ++i)
    if (model.trainStep.args[i].role == ArgSpec::Param && model.trainStep.args[i].output)
      trained[size_t(model.trainStep.args[i].index)] = true;
  size_t width = 24;
  for (int i = 0; i < model.numParams; ++i)
    width = std::max(width, std::string(model.params[i].tensor.name).size());
  int64_t values = 0, trainable = 0;
  fmt::print("parameters:\n");
  for (int i = 0; i < model.numParams; ++i) {
    const ParamSpec &p = model.params[i];
    int64_t n = numElements(specDims(p.tensor));
    values += n;
    trainable += trained[size_t(i)] ? n : 0;
    fmt::print("  {:<{}} {:<16} {:<9} {}\n", p.tensor.name, width, formatSpec(p.tensor),
               trained[size_t(i)] ? "trainable" : "frozen", formatInit(p));
  }
  fmt::print("  {} tensors, {} values ({} trainable)\n", model.numParams, values, trainable);

  printInputs("data (train, eval)", model.data, model.numData);
  printInputs("predict inputs", model.predictInputs, model.numPredictInputs);
  fmt::print("predict output: {}\n", formatSpec(model.predictOutput));
  fmt::print("outputs:");
  for (int i = 0; i < model.numOutputs; ++i)
    fmt::print(" {}", model.outputs[i]);
  fmt::print("\n");

  std::string hypers;
  for (int i = 0; i < model.numHyper; ++i) {
    const Hyper &h = model.hyper[i];
    hypers += fmt::format("{}{}=", i ? ", " : "", h.name);
    hypers += h.count == 2 ? fmt::format("({}, {})", h.values[0], h.values[1])
                           : fmt::format("{}", h.values[0]);
  }
  fmt::print("optimizer: {}({}), {} state tensors\n", model.optimizer, hypers, model.numState);
  fmt::print("defaults: batch size {}, epochs {}\n", model.batchSize, model.epochs);

  fmt::print("functions:\n");
  for (const FunctionSpec *fn : {&model.trainStep, &model.evalStep, &model.predict}) {
    int invariant = 0;
    for (int k = 0; fn->program && k < fn->program->numKernels; ++k)
      invariant += fn->program->kernels[k].invariant;
    fmt::print("  {:<12} ({}) -> ({}){}{}\n", fn->name, summarizeArgs(*fn, false),
               summarizeArgs(*fn, true),
               fn->program ? fmt::format(": {} kernels, {} temps", fn->program->numKernels,
                                         fn->program->numTemps)
                           : std::string(),
               invariant ? fmt::format(" ({} packing frozen weights, run once and kept)", invariant)
                         : std::string());
  }
  printPlan(estimatePlan(model, model.batchSize), stdout);
  return 0;
}

} // namespace mlc::rt
