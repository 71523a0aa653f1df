//===- Program.cpp - Running a function compiled as kernels ---------------===//

#include "mlc/Runtime/Program.h"
#include "mlc/Runtime/Error.h"
#include "mlc/Runtime/Tensor.h"

#include <HalideRuntime.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <numeric>

namespace mlc::rt {

namespace {

constexpr int64_t kAlign = 64;

int64_t tempBytes(const TempSpec &t, int64_t batch) {
  int64_t n = t.dtype == DType::F32 ? 4 : 8;
  for (int d = 0; d < t.rank; ++d)
    n *= t.dims[d] == kBatch ? batch : t.dims[d];
  return (n + kAlign - 1) / kAlign * kAlign;
}

bool onDevice = false;

/// The arena and the halide_buffer_t of every temp of one program. The
/// buffers persist across calls, so on a GPU each temp's device allocation
/// is made once (at the first call, or after a larger batch).
struct ProgramState {
  int64_t plannedBatch = -1;
  ArenaPlan plan;
  std::unique_ptr<uint8_t[]> storage;
  uint8_t *arena = nullptr;
  std::vector<halide_buffer_t> buffers;
  std::vector<halide_dimension_t> dims; // kMaxRank per temp
  // The invariant kernels' outputs are those of their inputs' buffers
  // `keptFrom` (host addresses), computed at an earlier call.
  bool keptValid = false;
  std::vector<void *> keptFrom, keptNow; // keptNow: this call's, kept for its capacity

  void prepare(const ProgramSpec &p, int64_t batch) {
    if (batch > plannedBatch) {
      keptValid = false; // a new arena
      for (halide_buffer_t &b : buffers)
        if (b.device)
          halide_device_free(nullptr, &b);
      plan = planArena(p, batch, /*share=*/!onDevice);
      storage.reset(new uint8_t[size_t(plan.bytes + kAlign)]);
      auto address = reinterpret_cast<uintptr_t>(storage.get());
      arena = storage.get() + (kAlign - address % kAlign) % kAlign;
      plannedBatch = batch;
      buffers.assign(size_t(p.numTemps), halide_buffer_t{});
      dims.assign(size_t(p.numTemps) * kMaxRank, halide_dimension_t{});
      for (int t = 0; t < p.numTemps; ++t) {
        const TempSpec &spec = p.temps[t];
        halide_buffer_t &b = buffers[size_t(t)];
        b.host = arena + plan.offsets[size_t(t)];
        b.type = spec.dtype == DType::F32 ? halide_type_t(halide_type_float, 32)
                                          : halide_type_t(halide_type_int, 64);
        b.dimensions = spec.rank;
        b.dim = &dims[size_t(t) * kMaxRank];
      }
    }
    for (int t = 0; t < p.numTemps; ++t) {
      const TempSpec &spec = p.temps[t];
      halide_buffer_t &b = buffers[size_t(t)];
      int32_t stride = 1;
      for (int d = 0; d < spec.rank; ++d) { // Halide dim d = tensor dim rank-1-d
        int64_t extent = spec.dims[spec.rank - 1 - d];
        extent = extent == kBatch ? batch : extent;
        b.dim[d] = halide_dimension_t(0, int32_t(extent), stride);
        stride *= int32_t(extent);
      }
    }
  }
};

bool profiling = false;
/// Per program, per kernel: calls and total seconds.
std::map<const ProgramSpec *, std::vector<std::pair<int64_t, double>>> profile;

} // namespace

void enableKernelProfile() { profiling = true; }

void setProgramsOnDevice(bool device) { onDevice = device; }

std::string kernelProfile(const FunctionSpec &fn, double minShare) {
  if (!profiling || !fn.program || !profile.count(fn.program))
    return "";
  const auto &times = profile[fn.program];
  double total = 0;
  int64_t programCalls = 0;
  for (const auto &[calls, seconds] : times) {
    total += seconds;
    programCalls = std::max(programCalls, calls);
  }
  std::vector<int> order(times.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return times[size_t(a)].second > times[size_t(b)].second; });
  std::string out = fmt::format("kernel time of {} ({} kernels, {:.1f} ms in all):\n", fn.name,
                                times.size(), total * 1e3);
  int rest = 0;
  double restSeconds = 0;
  for (int k : order) {
    const auto &[calls, seconds] = times[size_t(k)];
    double share = total > 0 ? seconds / total : 0.0;
    if (share < minShare && calls == programCalls) {
      ++rest;
      restSeconds += seconds;
      continue;
    }
    out += fmt::format("  {:>5.1f} %  {:>9.1f} us/call  {}{}\n", 100 * share,
                       calls ? seconds / double(calls) * 1e6 : 0.0, fn.program->kernels[k].name,
                       calls < programCalls
                           ? fmt::format(" (run at {} of {} calls)", calls, programCalls)
                           : "");
  }
  if (rest)
    out += fmt::format("  {:>5.1f} %  in {} more kernels under {:.1f} % each\n",
                       total > 0 ? 100 * restSeconds / total : 0.0, rest, 100 * minShare);
  return out;
}

std::vector<bool> inPlaceOutputs(const FunctionSpec &fn) {
  std::vector<bool> inPlace(size_t(fn.numArgs), false);
  if (!fn.program)
    return inPlace;
  const ProgramSpec &p = *fn.program;
  for (int out = 0; out < fn.numArgs; ++out) {
    const ArgSpec &o = fn.args[out];
    if (!o.output || (o.role != ArgSpec::Param && o.role != ArgSpec::State))
      continue;
    int in = -1;
    for (int a = 0; a < fn.numArgs; ++a)
      if (!fn.args[a].output && fn.args[a].role == o.role && fn.args[a].index == o.index)
        in = a;
    // The one kernel that references `out`, as one of its outputs.
    int writer = -1;
    bool ok = in >= 0;
    for (int k = 0; k < p.numKernels && ok; ++k) {
      const KernelSpec &kernel = p.kernels[k];
      for (int j = 0; j < kernel.numArgs; ++j)
        if (kernel.args[j] == out) {
          ok = ok && writer < 0 && j >= kernel.numArgs - kernel.numOutputs;
          writer = k;
        }
    }
    ok = ok && writer >= 0 && p.kernels[writer].inPlace;
    for (int k = writer + 1; k < p.numKernels && ok; ++k)
      for (int j = 0; j < p.kernels[k].numArgs; ++j)
        ok = ok && p.kernels[k].args[j] != in;
    inPlace[size_t(out)] = ok;
  }
  return inPlace;
}

ArenaPlan planArena(const ProgramSpec &p, int64_t batch, bool share) {
  ArenaPlan plan;
  plan.offsets.assign(size_t(p.numTemps), 0);
  std::vector<int> order(size_t(p.numTemps));
  std::iota(order.begin(), order.end(), 0);
  std::vector<int64_t> size(size_t(p.numTemps));
  for (int t = 0; t < p.numTemps; ++t) {
    size[size_t(t)] = tempBytes(p.temps[t], batch);
    plan.unshared += size[size_t(t)];
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return size[size_t(a)] > size[size_t(b)]; });
  std::vector<int> placed;
  for (int t : order) {
    const TempSpec &spec = p.temps[t];
    // Intervals of bytes taken by placed temps alive at the same time.
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (int q : placed)
      if (!share || (p.temps[q].first <= spec.last && spec.first <= p.temps[q].last))
        busy.emplace_back(plan.offsets[size_t(q)], plan.offsets[size_t(q)] + size[size_t(q)]);
    std::sort(busy.begin(), busy.end());
    int64_t at = 0;
    for (auto [lo, hi] : busy) {
      if (at + size[size_t(t)] <= lo)
        break;
      at = std::max(at, hi);
    }
    plan.offsets[size_t(t)] = at;
    plan.bytes = std::max(plan.bytes, at + size[size_t(t)]);
    placed.push_back(t);
  }
  return plan;
}

std::string checkProgram(const FunctionSpec &fn) {
  const ProgramSpec &p = *fn.program;
  if (p.numKernels <= 0 || !p.kernels)
    return "no kernels";
  if (p.batchArg >= fn.numArgs)
    return "batch argument out of range";
  for (int t = 0; t < p.numTemps; ++t)
    if (p.temps[t].rank < 0 || p.temps[t].rank > kMaxRank || p.temps[t].first < 0 ||
        p.temps[t].first > p.temps[t].last || p.temps[t].last >= p.numKernels)
      return fmt::format("temp {} is malformed", t);
  for (int k = 0; k < p.numKernels; ++k) {
    const KernelSpec &kernel = p.kernels[k];
    if (!kernel.argv || (kernel.numArgs > 0 && !kernel.args))
      return fmt::format("kernel {} has no entry point", k);
    for (int a = 0; a < kernel.numArgs; ++a) {
      int slot = kernel.args[a];
      if (slot == kBatchSlot ? p.batchArg < 0 : (slot < 0 || slot >= fn.numArgs + p.numTemps))
        return fmt::format("kernel '{}' argument {} has slot {} out of range", kernel.name, a,
                           slot);
      // An invariant kernel reads parameters and writes temps that no
      // other temp shares bytes with (alive from the first kernel to the last).
      bool input = a < kernel.numArgs - kernel.numOutputs;
      if (kernel.invariant &&
          (input ? slot < 0 || slot >= fn.numArgs || fn.args[slot].role != ArgSpec::Param ||
                       fn.args[slot].output
                 : slot < fn.numArgs || p.temps[slot - fn.numArgs].first != 0 ||
                       p.temps[slot - fn.numArgs].last != p.numKernels - 1))
        return fmt::format("invariant kernel '{}' argument {} is not a parameter or a kept temp",
                           kernel.name, a);
    }
  }
  return "";
}

int runProgram(const FunctionSpec &fn, void **args, std::string &failedKernel,
               bool frozenUnchanged) {
  static std::map<const ProgramSpec *, ProgramState> states;
  const ProgramSpec &p = *fn.program;
  int32_t batch = 0;
  if (p.batchArg >= 0) {
    auto *b = static_cast<halide_buffer_t *>(args[p.batchArg]);
    batch = b->dim[b->dimensions - 1].extent;
  }
  ProgramState &state = states[&p];
  state.prepare(p, batch);
  std::vector<std::pair<int64_t, double>> *times = nullptr;
  if (profiling) {
    times = &profile[&p];
    times->resize(size_t(p.numKernels));
  }
  // The invariant kernels run again unless the caller vouches for the
  // frozen parameters and they are the same buffers as last time.
  std::vector<void *> &from = state.keptNow;
  from.clear();
  for (int k = 0; k < p.numKernels; ++k)
    if (p.kernels[k].invariant)
      for (int a = 0; a < p.kernels[k].numArgs - p.kernels[k].numOutputs; ++a)
        from.push_back(static_cast<halide_buffer_t *>(args[p.kernels[k].args[a]])->host);
  bool reuse = frozenUnchanged && state.keptValid && from == state.keptFrom;
  state.keptValid = false; // until every kernel has run
  void *call[64];
  std::vector<void *> big;
  for (int k = 0; k < p.numKernels; ++k) {
    const KernelSpec &kernel = p.kernels[k];
    if (kernel.invariant && reuse)
      continue;
    void **argv = call;
    if (kernel.numArgs > 64) {
      big.resize(size_t(kernel.numArgs));
      argv = big.data();
    }
    for (int a = 0; a < kernel.numArgs; ++a) {
      int slot = kernel.args[a];
      argv[a] = slot == kBatchSlot ? static_cast<void *>(&batch)
                : slot < fn.numArgs ? args[slot]
                                    : static_cast<void *>(&state.buffers[size_t(slot - fn.numArgs)]);
    }
    auto begin = times ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    if (int rc = kernel.argv(argv); rc != 0) {
      failedKernel = kernel.name;
      return rc;
    }
    if (times) {
      // GPU launches return before the kernel ends: wait for it, so the
      // time is the kernel's (its last argument is an output buffer).
      if (onDevice && kernel.numArgs > 0) {
        auto *out = static_cast<halide_buffer_t *>(argv[kernel.numArgs - 1]);
        if (out->device_interface)
          halide_device_sync(nullptr, out);
      }
      (*times)[size_t(k)].first += 1;
      (*times)[size_t(k)].second +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    }
  }
  std::swap(state.keptFrom, state.keptNow);
  state.keptValid = true;
  return 0;
}

} // namespace mlc::rt
