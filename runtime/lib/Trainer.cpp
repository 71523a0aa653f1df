//===- Trainer.cpp - The optimizer step over fixed buffers ----------------===//

#include "mlc/Runtime/Trainer.h"
#include "mlc/Runtime/Pipeline.h"
#include "mlc/Runtime/Program.h"

namespace mlc::rt {

Trainer::Trainer(const ModelSpec &model, Weights weights, int64_t batchSize)
    : model_(model), batch_(model.data, model.numData, batchSize), stepValue_(DType::I64, {}) {
  paramUpdated_.assign(size_t(model.numParams), false);
  stateUpdated_.assign(size_t(model.numState), false);
  paramInPlace_.assign(size_t(model.numParams), false);
  stateInPlace_.assign(size_t(model.numState), false);
  const FunctionSpec &fn = model.trainStep;
  std::vector<bool> inPlace = inPlaceOutputs(fn);
  for (int i = 0; i < fn.numArgs; ++i) {
    const ArgSpec &arg = fn.args[i];
    if (arg.output && arg.role == ArgSpec::Param) {
      paramUpdated_[size_t(arg.index)] = true;
      paramInPlace_[size_t(arg.index)] = inPlace[size_t(i)];
    }
    if (arg.output && arg.role == ArgSpec::State) {
      stateUpdated_[size_t(arg.index)] = true;
      stateInPlace_[size_t(arg.index)] = inPlace[size_t(i)];
    }
  }

  copies_[0] = std::move(weights);
  auto secondCopy = [](const std::vector<Tensor> &current, const std::vector<bool> &updated,
                       const std::vector<bool> &inPlace) {
    std::vector<Tensor> copy;
    for (size_t i = 0; i < current.size(); ++i)
      copy.push_back(updated[i] && !inPlace[i] ? Tensor(current[i].dtype(), current[i].shape())
                                               : Tensor());
    return copy;
  };
  copies_[1].params = secondCopy(copies_[0].params, paramUpdated_, paramInPlace_);
  copies_[1].state = secondCopy(copies_[0].state, stateUpdated_, stateInPlace_);
  for (int c = 0; c < 2; ++c) {
    params_[c] = makeBuffers(copies_[c].params);
    state_[c] = makeBuffers(copies_[c].state);
  }
  stepBuffer_.reset(stepValue_);
  for (int i = 0; i < model.numOutputs; ++i)
    outputs_.emplace_back(DType::F32, Shape{});
  outputBuffers_ = makeBuffers(outputs_);
}

std::vector<double> Trainer::step(const DataSet &data, const int64_t *rows, int64_t n, int64_t t) {
  batch_.fill(data, rows, n);
  *stepValue_.as<int64_t>() = t;
  stepBuffer_.markHostDirty();

  // An output updated in place is its input's buffer.
  auto outputs = [](const std::vector<std::unique_ptr<HostBuffer>> (&copies)[2],
                    const std::vector<bool> &inPlace) {
    std::vector<HostBuffer *> list = pointers(copies[1]);
    for (size_t i = 0; i < list.size(); ++i)
      if (inPlace[i])
        list[i] = copies[0][i].get();
    return list;
  };
  PipelineBuffers buffers;
  buffers.paramIn = pointers(params_[0]);
  buffers.paramOut = outputs(params_, paramInPlace_);
  buffers.stateIn = pointers(state_[0]);
  buffers.stateOut = outputs(state_, stateInPlace_);
  buffers.data = batch_.buffers();
  buffers.outputs = pointers(outputBuffers_);
  buffers.step = &stepBuffer_;
  // Frozen parameters are never written while this Trainer owns them.
  buffers.frozenUnchanged = stepped_;
  callPipeline(model_.trainStep, buffers);
  stepped_ = true;

  for (size_t i = 0; i < paramUpdated_.size(); ++i)
    if (paramUpdated_[i] && !paramInPlace_[i]) {
      std::swap(copies_[0].params[i], copies_[1].params[i]);
      std::swap(params_[0][i], params_[1][i]);
    }
  for (size_t i = 0; i < stateUpdated_.size(); ++i)
    if (stateUpdated_[i] && !stateInPlace_[i]) {
      std::swap(copies_[0].state[i], copies_[1].state[i]);
      std::swap(state_[0][i], state_[1][i]);
    }

  std::vector<double> values;
  for (size_t i = 0; i < outputs_.size(); ++i) {
    outputBuffers_[i]->syncToHost();
    values.push_back(*outputs_[i].as<float>());
  }
  return values;
}

const Weights &Trainer::weights() {
  for (auto &b : params_[0])
    b->syncToHost();
  for (auto &b : state_[0])
    b->syncToHost();
  return copies_[0];
}

int64_t Trainer::paramBytes() const {
  int64_t n = 0;
  for (int c = 0; c < 2; ++c)
    for (const Tensor &t : copies_[c].params)
      n += int64_t(t.bytes());
  return n;
}

int64_t Trainer::stateBytes() const {
  int64_t n = 0;
  for (int c = 0; c < 2; ++c)
    for (const Tensor &t : copies_[c].state)
      n += int64_t(t.bytes());
  return n;
}

int64_t Trainer::batchBytes() const {
  return batch_.bytes() + int64_t(stepValue_.bytes()) + 4 * int64_t(outputs_.size());
}

} // namespace mlc::rt
