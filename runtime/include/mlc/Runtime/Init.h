//===- Init.h - Initial parameter values ------------------------*- C++ -*-===//
#ifndef MLC_RUNTIME_INIT_H
#define MLC_RUNTIME_INIT_H

#include "mlc/Runtime/Tensor.h"

#include <string>
#include <vector>

namespace mlc::rt {

/// PyTorch's default initializations as the compiler describes them
/// (ParamSpec::init and scale), drawn from `seed`. Each parameter has its own
/// random stream (from its name), so its values do not depend on the others.
std::vector<Tensor> defaultInit(const ModelSpec &model, uint64_t seed);

/// --init PATH: overwrites each parameter found in the file by name (exact
/// shape required), and notes the file's unused tensors and the parameters
/// that keep their default values.
void loadInit(const std::string &path, const ModelSpec &model, std::vector<Tensor> &params);

/// The DSL's `init model.x from "file"`: loads the parameters that name a
/// file (ParamSpec::initFrom) from it under their initKey.
void loadInitFrom(const ModelSpec &model, std::vector<Tensor> &params);

} // namespace mlc::rt

#endif // MLC_RUNTIME_INIT_H
