//===- Checkpoint.cpp - Model values in safetensors files -----------------===//

#include "mlc/Runtime/Checkpoint.h"
#include "mlc/Runtime/Error.h"

#include <charconv>

namespace mlc::rt {

namespace {

std::string formatHyper(const Hyper &h) {
  if (h.count == 2)
    return fmt::format("({}, {})", h.values[0], h.values[1]);
  return fmt::format("{}", h.values[0]);
}

const std::string &metadataValue(const SafetensorsFile &file, const std::string &key) {
  auto it = file.metadata().find(key);
  if (it == file.metadata().end())
    fail("{}: not a training checkpoint: no '{}' in __metadata__ (--init starts a new run from "
         "its weights)",
         file.path(), key);
  return it->second;
}

uint64_t metadataUInt(const SafetensorsFile &file, const std::string &key) {
  const std::string &text = metadataValue(file, key);
  uint64_t v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size())
    fail("{}: __metadata__ '{}' is '{}', not a non-negative integer", file.path(), key, text);
  return v;
}

int64_t metadataInt(const SafetensorsFile &file, const std::string &key) {
  uint64_t v = metadataUInt(file, key);
  if (v > uint64_t(INT64_MAX))
    fail("{}: __metadata__ '{}' is too large", file.path(), key);
  return int64_t(v);
}

/// Every parameter (and, for a resume, every state tensor) from `file`.
std::vector<Tensor> requireAll(const SafetensorsFile &file, const ModelSpec &model) {
  std::vector<Tensor> params;
  for (int i = 0; i < model.numParams; ++i) {
    const TensorSpec &spec = model.params[i].tensor;
    const SafetensorsEntry *entry = file.find(spec.name);
    if (!entry)
      fail("{}: no tensor '{}' (parameter {}); is it a checkpoint of this model?", file.path(),
           spec.name, formatSpec(spec));
    params.push_back(loadTensor(file, *entry, spec));
  }
  return params;
}

} // namespace

std::vector<Tensor> zeroState(const ModelSpec &model) {
  std::vector<Tensor> state;
  for (int i = 0; i < model.numState; ++i) {
    const TensorSpec &param = model.params[model.state[i].param].tensor;
    state.emplace_back(param.dtype, specDims(param));
  }
  return state;
}

void saveCheckpoint(const std::string &path, const std::string &flag, const ModelSpec &model,
                    const Weights &weights, const Progress &progress) {
  SafetensorsWriter writer;
  writer.setMetadata("format", "mlc");
  writer.setMetadata("train", model.trainName);
  writer.setMetadata("model", model.modelName);
  writer.setMetadata("step", std::to_string(progress.step));
  writer.setMetadata("epoch", std::to_string(progress.epoch));
  writer.setMetadata("position", std::to_string(progress.position));
  writer.setMetadata("seed", std::to_string(progress.seed));
  writer.setMetadata("shuffle", progress.shuffle ? "on" : "off");
  writer.setMetadata("samples", std::to_string(progress.samples));
  writer.setMetadata("batch_size", std::to_string(progress.batchSize));
  writer.setMetadata("optimizer", model.optimizer);
  for (int i = 0; i < model.numHyper; ++i)
    writer.setMetadata(model.hyper[i].name, formatHyper(model.hyper[i]));
  for (int i = 0; i < model.numParams; ++i)
    writer.add(model.params[i].tensor.name, weights.params[size_t(i)]);
  for (int i = 0; i < model.numState; ++i)
    writer.add(model.state[i].name, weights.state[size_t(i)]);
  writer.write(path, flag);
}

Tensor loadTensor(const SafetensorsFile &file, const SafetensorsEntry &entry,
                  const TensorSpec &spec, const std::string &param) {
  std::string name = param.empty() ? std::string(spec.name) : param;
  Shape want = specDims(spec);
  if (entry.shape != want)
    fail("{}: tensor '{}' has shape {}, but the model's '{}' is {}", file.path(), entry.name,
         formatShape(entry.shape), name, formatSpec(spec));
  return convertArray(file.array(entry), spec.dtype,
                      fmt::format("{}: tensor '{}'", file.path(), entry.name));
}

std::vector<Tensor> loadWeights(const std::string &path, const ModelSpec &model) {
  return requireAll(SafetensorsFile::read(path), model);
}

void loadResume(const std::string &path, const ModelSpec &model, Weights &weights,
                Progress &progress) {
  SafetensorsFile file = SafetensorsFile::read(path);
  Progress p;
  p.step = metadataInt(file, "step");
  p.epoch = metadataInt(file, "epoch");
  p.position = metadataInt(file, "position");
  p.seed = metadataUInt(file, "seed");
  p.samples = metadataInt(file, "samples");
  p.batchSize = metadataInt(file, "batch_size");
  const std::string &shuffle = metadataValue(file, "shuffle");
  if (shuffle != "on" && shuffle != "off")
    fail("{}: __metadata__ 'shuffle' is '{}', not 'on' or 'off'", path, shuffle);
  p.shuffle = shuffle == "on";
  const std::string &optimizer = metadataValue(file, "optimizer");
  if (optimizer != model.optimizer)
    fail("{}: the checkpoint was trained with {}, this executable uses {}; --init starts a new "
         "run from its weights",
         path, optimizer, model.optimizer);
  if (p.batchSize == 0 || p.samples == 0 || p.position >= p.samples)
    fail("{}: __metadata__ is inconsistent (position {}, samples {}, batch_size {})", path,
         p.position, p.samples, p.batchSize);

  Weights w;
  w.params = requireAll(file, model);
  for (int i = 0; i < model.numState; ++i) {
    const StateSpec &s = model.state[i];
    const SafetensorsEntry *entry = file.find(s.name);
    if (!entry)
      fail("{}: no optimizer state '{}'; --init starts a new run from its weights", path, s.name);
    w.state.push_back(loadTensor(file, *entry, model.params[s.param].tensor, s.name));
  }
  weights = std::move(w);
  progress = p;
}

} // namespace mlc::rt
