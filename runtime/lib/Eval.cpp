//===- Eval.cpp - The eval command ----------------------------------------===//
//
// eval_step over the data in order, batch by batch; the loss and metrics are
// averaged weighted by batch size (the pipelines reduce with a mean).
//
//===----------------------------------------------------------------------===//

#include "mlc/Runtime/Batches.h"
#include "mlc/Runtime/Checkpoint.h"
#include "mlc/Runtime/Commands.h"
#include "mlc/Runtime/Error.h"
#include "mlc/Runtime/Format.h"
#include "mlc/Runtime/Pipeline.h"

#include <algorithm>

namespace mlc::rt {

int runEval(const ModelSpec &model, const EvalOptions &opt) {
  checkModel(model);
  if (opt.weights.empty())
    fail("--weights: required: the checkpoint to evaluate");
  checkDataNames(model.data, model.numData, opt.data);
  std::vector<Tensor> params = loadWeights(opt.weights, model);
  DataSet data = loadData(model.data, model.numData, opt.data);

  initHalide(model, opt.threads, opt.device);
  const int64_t n = data.samples;
  const int64_t batch = std::min(opt.batchSize.value_or(model.batchSize), n);
  BatchBuffers batches(model.data, model.numData, batch);
  std::vector<std::unique_ptr<HostBuffer>> paramBuffers = makeBuffers(params);
  std::vector<Tensor> outputs;
  for (int i = 0; i < model.numOutputs; ++i)
    outputs.emplace_back(DType::F32, Shape{});
  std::vector<std::unique_ptr<HostBuffer>> outputBuffers = makeBuffers(outputs);

  PipelineBuffers buffers;
  buffers.paramIn = pointers(paramBuffers);
  buffers.data = batches.buffers();
  buffers.outputs = pointers(outputBuffers);
  std::vector<double> sums(outputs.size(), 0.0);
  for (int64_t first = 0; first < n; first += batch) {
    int64_t count = std::min(batch, n - first);
    batches.fillRange(data, first, count);
    callPipeline(model.evalStep, buffers);
    buffers.frozenUnchanged = true; // the weights stay as loaded for every batch
    for (size_t i = 0; i < outputs.size(); ++i) {
      outputBuffers[i]->syncToHost();
      sums[i] += double(*outputs[i].as<float>()) * double(count);
    }
  }
  fmt::print("samples {}\n", n);
  for (size_t i = 0; i < outputs.size(); ++i)
    // 9 significant digits: a float32 loss round-trips (scripts compare them).
    fmt::print("{} {:.9g}\n", model.outputs[i], sums[i] / double(n));
  return 0;
}

} // namespace mlc::rt
