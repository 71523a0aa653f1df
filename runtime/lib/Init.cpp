//===- Init.cpp - Initial parameter values --------------------------------===//

#include "mlc/Runtime/Init.h"
#include "mlc/Runtime/Checkpoint.h"
#include "mlc/Runtime/Error.h"
#include "mlc/Runtime/Random.h"
#include "mlc/Runtime/Safetensors.h"

#include <cstring>
#include <map>
#include <unistd.h>

namespace mlc::rt {

std::vector<Tensor> defaultInit(const ModelSpec &model, uint64_t seed) {
  std::vector<Tensor> params;
  for (int i = 0; i < model.numParams; ++i) {
    const ParamSpec &p = model.params[i];
    Tensor t(p.tensor.dtype, specDims(p.tensor));
    std::string init = p.init ? p.init : "zeros";
    if (t.dtype() == DType::F32) {
      float *v = t.as<float>();
      Rng rng(seed, streamFor(p.tensor.name));
      for (int64_t j = 0; j < t.numel(); ++j) {
        if (init == "uniform")
          v[j] = float((2 * rng.uniform() - 1) * p.scale);
        else if (init == "normal")
          v[j] = float(rng.normal() * p.scale);
        else if (init == "ones")
          v[j] = 1;
        else if (init == "zeros")
          v[j] = 0;
        else
          fail("internal error: parameter '{}' has unknown init '{}'", p.tensor.name, init);
      }
    } else if (init == "ones") {
      for (int64_t j = 0; j < t.numel(); ++j)
        t.as<int64_t>()[j] = 1;
    }
    params.push_back(std::move(t));
  }
  return params;
}

namespace {

std::string joinNames(const std::vector<std::string> &names, size_t limit = 20) {
  std::string s;
  for (size_t i = 0; i < names.size() && i < limit; ++i)
    s += (i ? ", " : "") + names[i];
  if (names.size() > limit)
    s += fmt::format(" and {} more", names.size() - limit);
  return s;
}

} // namespace

void loadInit(const std::string &path, const ModelSpec &model, std::vector<Tensor> &params) {
  SafetensorsFile file = SafetensorsFile::read(path);
  std::vector<Tensor> loaded(size_t(model.numParams));
  std::vector<bool> found(size_t(model.numParams));
  std::vector<std::string> kept;
  int count = 0;
  for (int i = 0; i < model.numParams; ++i) {
    const TensorSpec &spec = model.params[i].tensor;
    if (const SafetensorsEntry *entry = file.find(spec.name)) {
      loaded[size_t(i)] = loadTensor(file, *entry, spec);
      found[size_t(i)] = true;
      ++count;
    } else {
      kept.push_back(spec.name);
    }
  }
  std::vector<std::string> unused;
  int optimizerState = 0;
  for (const SafetensorsEntry &entry : file.entries()) {
    bool used = false;
    for (int i = 0; i < model.numParams && !used; ++i)
      used = entry.name == model.params[i].tensor.name;
    if (used)
      continue;
    if (entry.name.rfind("optimizer.", 0) == 0)
      ++optimizerState;
    else
      unused.push_back(entry.name);
  }
  if (count == 0)
    fail("{}: no tensor matches a parameter of the model (the file has {}; the model has {})", path,
         file.entries().empty() ? "no tensors" : joinNames(unused, 5),
         model.numParams ? model.params[0].tensor.name : "no parameters");
  // All shapes checked: only now replace the defaults.
  for (size_t i = 0; i < found.size(); ++i)
    if (found[i])
      params[i] = std::move(loaded[i]);
  if (!unused.empty())
    note(fmt::format("{}: unused: {}", path, joinNames(unused)));
  if (optimizerState)
    note(fmt::format("{}: ignored {} optimizer state tensors (--resume continues a run)", path,
                     optimizerState));
  if (!kept.empty())
    note(fmt::format("{}: loaded {} of {} parameters; {} not in the file keep their default "
                     "init: {}",
                     path, count, model.numParams, kept.size(), joinNames(kept)));
}

void loadInitFrom(const ModelSpec &model, std::vector<Tensor> &params) {
  std::map<std::string, SafetensorsFile> files;
  for (int i = 0; i < model.numParams; ++i) {
    const ParamSpec &p = model.params[i];
    if (!p.initFrom)
      continue;
    std::string path = p.initFrom;
    auto it = files.find(path);
    if (it == files.end()) {
      if (access(path.c_str(), F_OK) != 0)
        fail("{}: cannot open: {} (the DSL initializes '{}' from it; pass --init PATH to load "
             "the weights from another file)",
             path, std::strerror(errno), p.tensor.name);
      it = files.emplace(path, SafetensorsFile::read(path)).first;
    }
    std::string key = p.initKey ? p.initKey : p.tensor.name;
    const SafetensorsEntry *entry = it->second.find(key);
    if (!entry)
      fail("{}: no tensor '{}' for parameter '{}' (the DSL initializes it from this file)", path,
           key, p.tensor.name);
    params[size_t(i)] = loadTensor(it->second, *entry, p.tensor, p.tensor.name);
  }
}

} // namespace mlc::rt
