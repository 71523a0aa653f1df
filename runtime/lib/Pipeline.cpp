//===- Pipeline.cpp - Calling the AOT Halide pipelines --------------------===//

#include "mlc/Runtime/Pipeline.h"
#include "mlc/Runtime/Allocator.h"
#include "mlc/Runtime/Error.h"
#include "mlc/Runtime/Program.h"
#include "mlc/Runtime/ThreadPool.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace mlc::rt {

namespace {

std::mutex errorMutex;
std::string firstError; // the first message of the failing call

// Halide may report from worker threads, and the default handler would
// print and carry on; the message is kept and thrown once the call returns.
void errorHandler(void *, const char *message) {
  std::lock_guard<std::mutex> lock(errorMutex);
  if (firstError.empty())
    firstError = message ? message : "";
}

std::string takeError() {
  std::lock_guard<std::mutex> lock(errorMutex);
  std::string message;
  std::swap(message, firstError);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
    message.pop_back();
  return message;
}

[[noreturn]] void internal(const ModelSpec &model, const std::string &what) {
  fail("internal error: the compiled model '{}' is inconsistent: {}", model.trainName, what);
}

HostBuffer *pick(const std::vector<HostBuffer *> &list, int index) {
  return index >= 0 && size_t(index) < list.size() ? list[size_t(index)] : nullptr;
}

void checkFunction(const ModelSpec &model, const FunctionSpec &fn, int numData, bool train,
                   bool predict) {
  if ((!fn.argv && !fn.program) || !fn.name || (fn.numArgs > 0 && !fn.args))
    internal(model, fmt::format("pipeline '{}' has no entry point", fn.name ? fn.name : "?"));
  if (fn.program)
    if (std::string problem = checkProgram(fn); !problem.empty())
      internal(model, fmt::format("program '{}': {}", fn.name, problem));
  int outputs = 0;
  for (int i = 0; i < fn.numArgs; ++i) {
    const ArgSpec &arg = fn.args[i];
    int limit = 0;
    switch (arg.role) {
    case ArgSpec::Param:
      limit = model.numParams;
      break;
    case ArgSpec::State:
      limit = model.numState;
      break;
    case ArgSpec::Step:
      limit = 1;
      break;
    case ArgSpec::Data:
      limit = numData;
      break;
    case ArgSpec::Output:
      limit = predict ? 1 : model.numOutputs;
      break;
    }
    if (arg.role != ArgSpec::Step && (arg.index < 0 || arg.index >= limit))
      internal(model,
               fmt::format("argument {} of '{}' has index {} out of range", i, fn.name, arg.index));
    if ((arg.role == ArgSpec::Step || arg.role == ArgSpec::Data) && arg.output)
      internal(model, fmt::format("argument {} of '{}' writes an input", i, fn.name));
    if ((arg.role == ArgSpec::Param || arg.role == ArgSpec::State) && arg.output && !train)
      internal(model, fmt::format("'{}' updates parameters", fn.name));
    outputs += arg.role == ArgSpec::Output;
  }
  if (outputs == 0)
    internal(model, fmt::format("'{}' has no output", fn.name));
}

} // namespace

void initHalide(const ModelSpec &model, int threads, int device) {
  halide_set_error_handler(errorHandler);
  installCachingAllocator();
  if (threads > 0) {
    setenv("HL_NUM_THREADS", std::to_string(threads).c_str(), 1);
    halide_set_num_threads(threads);
  }
  if (!model.deviceInterface) {
    // At most one thread per core: the pool's idle workers poll, so a
    // second one on a core would take turns with the thread doing the work.
    int cores = int(std::thread::hardware_concurrency()), n = threads;
    if (n <= 0) {
      const char *env = getenv("HL_NUM_THREADS");
      n = env && atoi(env) > 0 ? atoi(env) : cores;
    }
    installThreadPool(cores > 0 ? std::min(n, cores) : n);
    if (device >= 0)
      fail("--device: this executable runs on the CPU (compiled for target {}); compile the "
           "model with 'mlc compile --target cuda' or '--target opencl' to train on a GPU",
           model.target);
    return;
  }
  setProgramsOnDevice(true);
  // Halide's CUDA and OpenCL runtimes read the device index from here.
  if (device >= 0)
    setenv("HL_GPU_DEVICE", std::to_string(device).c_str(), 1);
  // A one-float buffer allocated on the device: creates the context, so a
  // missing driver or device is reported now, not in the first kernel.
  float probe = 0;
  halide_dimension_t dim(0, 1, 1);
  halide_buffer_t buffer{};
  buffer.host = reinterpret_cast<uint8_t *>(&probe);
  buffer.type = halide_type_t(halide_type_float, 32);
  buffer.dimensions = 1;
  buffer.dim = &dim;
  takeError();
  int rc = halide_device_malloc(nullptr, &buffer, model.deviceInterface());
  std::string message = takeError();
  if (rc != 0) {
    std::string api = model.deviceApi ? model.deviceApi : "GPU";
    fail("no usable {} device{}: {}\n"
         "  this executable was compiled for target {}; it needs {}.\n"
         "  To train on this machine's CPU, compile the model with 'mlc compile --target host'.",
         api, device >= 0 ? fmt::format(" (--device {})", device) : "",
         message.empty() ? fmt::format("error code {}", rc) : message, model.target,
         api == "CUDA" ? "an NVIDIA GPU and its driver (libcuda.so)"
                       : "an OpenCL platform with a device (libOpenCL.so and an ICD, e.g. "
                         "PoCL: apt-get install pocl-opencl-icd)");
  }
  halide_device_free(nullptr, &buffer);
  // Kernels allocate their intermediates (partial sums, rows too large for
  // registers) on the device at every call; without a cache each is a
  // cudaMalloc and cudaFree per kernel per step. The same sizes come back
  // every step, so the cache holds one step's worth.
  halide_reuse_device_allocations(nullptr, true);
}

void callPipeline(const FunctionSpec &fn, const PipelineBuffers &buffers) {
  std::vector<void *> args(size_t(fn.numArgs), nullptr);
  for (int i = 0; i < fn.numArgs; ++i) {
    const ArgSpec &arg = fn.args[i];
    HostBuffer *buffer = nullptr;
    switch (arg.role) {
    case ArgSpec::Param:
      buffer = pick(arg.output ? buffers.paramOut : buffers.paramIn, arg.index);
      break;
    case ArgSpec::State:
      buffer = pick(arg.output ? buffers.stateOut : buffers.stateIn, arg.index);
      break;
    case ArgSpec::Step:
      buffer = buffers.step;
      break;
    case ArgSpec::Data:
      buffer = pick(buffers.data, arg.index);
      break;
    case ArgSpec::Output:
      buffer = pick(buffers.outputs, arg.index);
      break;
    }
    if (!buffer)
      fail("internal error: no buffer for argument {} of '{}'", i, fn.name);
    args[size_t(i)] = buffer->get();
  }
  takeError();
  std::string kernel;
  int rc = fn.program ? runProgram(fn, args.data(), kernel, buffers.frozenUnchanged)
                       : fn.argv(args.data());
  std::string message = takeError();
  if (rc != 0)
    fail("pipeline '{}' failed{}: {}", fn.name,
         kernel.empty() ? "" : fmt::format(" in kernel '{}'", kernel),
         message.empty() ? fmt::format("error code {}", rc) : message);
}

void checkModel(const ModelSpec &model) {
  checkFunction(model, model.trainStep, model.numData, /*train=*/true, /*predict=*/false);
  checkFunction(model, model.evalStep, model.numData, false, false);
  checkFunction(model, model.predict, model.numPredictInputs, false, true);
  if (model.numOutputs < 1)
    internal(model, "no loss output");
  for (int i = 0; i < model.numState; ++i)
    if (model.state[i].param < 0 || model.state[i].param >= model.numParams)
      internal(model, fmt::format("state '{}' has no parameter", model.state[i].name));
  auto checkData = [&](const TensorSpec *specs, int count) {
    for (int i = 0; i < count; ++i)
      if (specs[i].rank < 1 || specs[i].rank > kMaxRank || specs[i].dims[0] != kBatch)
        internal(model, fmt::format("input '{}' is not batched on dimension 0", specs[i].name));
  };
  checkData(model.data, model.numData);
  checkData(model.predictInputs, model.numPredictInputs);
  checkData(&model.predictOutput, 1);
}

} // namespace mlc::rt
