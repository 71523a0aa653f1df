//===- Predict.cpp - The predict command ----------------------------------===//
//
// The model's forward function over the inputs in order, batch by batch;
// the rows are collected into one [N, ...] array and written as .npy.
//
//===----------------------------------------------------------------------===//

#include "mlc/Runtime/AtomicFile.h"
#include "mlc/Runtime/Batches.h"
#include "mlc/Runtime/Checkpoint.h"
#include "mlc/Runtime/Commands.h"
#include "mlc/Runtime/Error.h"
#include "mlc/Runtime/Npy.h"
#include "mlc/Runtime/Pipeline.h"

#include <algorithm>
#include <cstring>

namespace mlc::rt {

int runPredict(const ModelSpec &model, const PredictOptions &opt) {
  checkModel(model);
  if (opt.weights.empty())
    fail("--weights: required: the checkpoint to predict with");
  if (opt.out.empty())
    fail("--out: required: the .npy file to write the predictions to");
  checkDataNames(model.predictInputs, model.numPredictInputs, opt.data);
  checkWritable(opt.out, "--out");
  std::vector<Tensor> params = loadWeights(opt.weights, model);
  DataSet data = loadData(model.predictInputs, model.numPredictInputs, opt.data);

  initHalide(model, opt.threads, opt.device);
  const int64_t n = data.samples;
  const int64_t batch = std::min(opt.batchSize.value_or(model.batchSize), n);
  BatchBuffers batches(model.predictInputs, model.numPredictInputs, batch);
  std::vector<std::unique_ptr<HostBuffer>> paramBuffers = makeBuffers(params);
  Shape outShape = specDims(model.predictOutput);
  outShape[0] = batch;
  std::vector<Tensor> output;
  output.emplace_back(model.predictOutput.dtype, outShape);
  std::vector<std::unique_ptr<HostBuffer>> outputBuffer = makeBuffers(output);
  outShape[0] = n;
  Tensor result(model.predictOutput.dtype, outShape);
  size_t rowBytes = result.bytes() / size_t(n);

  PipelineBuffers buffers;
  buffers.paramIn = pointers(paramBuffers);
  buffers.data = batches.buffers();
  buffers.outputs = pointers(outputBuffer);
  for (int64_t first = 0; first < n; first += batch) {
    int64_t count = std::min(batch, n - first);
    batches.fillRange(data, first, count);
    outputBuffer[0]->setBatch(count);
    callPipeline(model.predict, buffers);
    buffers.frozenUnchanged = true; // the weights stay as loaded for every batch
    outputBuffer[0]->syncToHost();
    std::memcpy(static_cast<uint8_t *>(result.data()) + size_t(first) * rowBytes, output[0].data(),
                size_t(count) * rowBytes);
  }
  writeNpy(opt.out, "--out", result);
  fmt::print("wrote {}: {}{}\n", opt.out, dtypeName(result.dtype()), formatShape(result.shape()));
  return 0;
}

} // namespace mlc::rt
