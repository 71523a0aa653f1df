//===- Train.cpp - The train command --------------------------------------===//
//
// validate flags and files -> load data -> initial weights (default init,
// --init, the DSL's init-from, or --resume) -> per epoch: data order, then
// per batch: gather, train_step, swap, log -> save.
//
//===----------------------------------------------------------------------===//

#include "mlc/Runtime/Allocator.h"
#include "mlc/Runtime/AtomicFile.h"
#include "mlc/Runtime/Commands.h"
#include "mlc/Runtime/DataSet.h"
#include "mlc/Runtime/Error.h"
#include "mlc/Runtime/Format.h"
#include "mlc/Runtime/Init.h"
#include "mlc/Runtime/MemoryPlan.h"
#include "mlc/Runtime/Pipeline.h"
#include "mlc/Runtime/Program.h"
#include "mlc/Runtime/Random.h"
#include "mlc/Runtime/Trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

namespace mlc::rt {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// --log: `step,epoch,loss[,metric...]`, one row per step. The file is
/// created at the first row, so a run that fails before its first step
/// leaves an existing log alone.
class StepLog {
public:
  StepLog(const std::string &path, const ModelSpec &model) : path_(path), model_(model) {}
  ~StepLog() {
    if (file_)
      std::fclose(file_);
  }
  void row(int64_t step, int64_t epoch, const std::vector<double> &values) {
    if (path_.empty())
      return;
    if (!file_) {
      file_ = std::fopen(path_.c_str(), "w");
      if (!file_)
        fail("--log: cannot write '{}': {}", path_, systemError());
      std::fputs("step,epoch", file_);
      for (int i = 0; i < model_.numOutputs; ++i)
        fmt::print(file_, ",{}", model_.outputs[i]);
      std::fputc('\n', file_);
    }
    fmt::print(file_, "{},{}", step, epoch);
    for (double v : values)
      fmt::print(file_, ",{}", float(v)); // shortest text that reads back the same f32
    std::fputc('\n', file_);
  }
  void flush() {
    if (file_ && (std::fflush(file_) != 0 || std::ferror(file_)))
      fail("--log: cannot write '{}': {}", path_, systemError());
  }

private:
  std::string path_;
  const ModelSpec &model_;
  std::FILE *file_ = nullptr;
};

/// Sample-weighted means of the loss and metrics over part of an epoch.
struct EpochStats {
  std::vector<double> sums;
  int64_t samples = 0;
  void add(const std::vector<double> &values, int64_t n) {
    sums.resize(values.size(), 0.0);
    for (size_t i = 0; i < values.size(); ++i)
      sums[i] += values[i] * double(n);
    samples += n;
  }
};

/// Makes the resumed run's settings agree with the checkpoint's.
void reconcileResume(const TrainOptions &opt, const DataSet &data, Progress &progress) {
  const std::string &path = opt.resume;
  if (opt.seed && *opt.seed != progress.seed)
    fail("--seed: {} differs from the seed {} of '{}'; --resume continues that run's data order",
         *opt.seed, progress.seed, path);
  if (opt.shuffle && *opt.shuffle != progress.shuffle)
    fail("--shuffle: '{}' differs from '{}' in '{}'; --resume continues that run's data order",
         *opt.shuffle ? "on" : "off", progress.shuffle ? "on" : "off", path);
  if (data.samples != progress.samples)
    fail("--resume: '{}' was trained on {} samples, but the --data has {}; --init starts a new "
         "run from its weights",
         path, progress.samples, data.samples);
}

} // namespace

int runTrain(const ModelSpec &model, const TrainOptions &opt) {
  // Everything the user gave is checked before any work, and nothing is
  // written before the data and the weights have loaded.
  checkModel(model);
  // The compiler bakes the hyper-parameters into train_step; --lr needs a
  // pipeline input for the learning rate, which the compiler does not emit.
  if (opt.lr)
    fail("--lr is not supported by this executable yet; set lr in the DSL");
  if (!opt.init.empty() && !opt.resume.empty())
    fail("--init: cannot be combined with --resume (the checkpoint holds the weights)");
  checkDataNames(model.data, model.numData, opt.data);
  if (!opt.save.empty())
    checkWritable(opt.save, "--save");
  if (!opt.log.empty())
    checkWritable(opt.log, "--log");
  DataSet data = loadData(model.data, model.numData, opt.data);

  Progress progress;
  Weights weights;
  if (!opt.resume.empty()) {
    loadResume(opt.resume, model, weights, progress);
    reconcileResume(opt, data, progress);
  } else {
    progress.seed = opt.seed.value_or(0);
    progress.shuffle = opt.shuffle.value_or(true);
    progress.samples = data.samples;
    progress.batchSize = model.batchSize;
    weights.params = defaultInit(model, progress.seed);
    if (!opt.init.empty())
      loadInit(opt.init, model, weights.params);
    else
      loadInitFrom(model, weights.params);
    weights.state = zeroState(model);
  }
  if (opt.batchSize)
    progress.batchSize = *opt.batchSize;
  const int64_t epochs = opt.epochs.value_or(model.epochs);
  const int64_t maxSteps = opt.steps.value_or(std::numeric_limits<int64_t>::max());
  const int64_t n = data.samples;
  const int64_t batch = std::min(progress.batchSize, n);
  const int64_t stepsPerEpoch = (n + batch - 1) / batch;

  initHalide(model, opt.threads, opt.device);
  if (opt.profile)
    enableKernelProfile();
  Trainer trainer(model, std::move(weights), batch);
  StepLog log(opt.log, model);

  // Steps left until the epochs or --steps end, for the ETA.
  int64_t plannedSteps = 0;
  if (progress.epoch < epochs)
    plannedSteps =
        (n - progress.position + batch - 1) / batch + (epochs - progress.epoch - 1) * stepsPerEpoch;
  if (maxSteps > progress.step)
    plannedSteps = std::min(plannedSteps, maxSteps - progress.step);
  else
    plannedSteps = 0;
  fmt::print("training '{}' ({}): {} samples, batch size {}, {} epochs, {}\n", model.trainName,
             model.modelName, n, batch, epochs, model.optimizer);
  if (plannedSteps == 0)
    note(fmt::format("nothing to train: the run is at step {}, epoch {} (--epochs {}{})",
                     progress.step, progress.epoch, epochs,
                     opt.steps ? fmt::format(", --steps {}", *opt.steps) : ""));

  Clock::time_point start = Clock::now();
  int64_t stepsDone = 0, systemAllocsAfterFirst = 0, scratchAfterFirst = 0, requestsAfterFirst = 0;
  bool warnedNonFinite = false;
  std::vector<double> stepSeconds;
  while (plannedSteps > 0 && progress.epoch < epochs && progress.step < maxSteps) {
    std::vector<int64_t> order = epochOrder(progress.seed, progress.epoch, n, progress.shuffle);
    EpochStats stats;
    Clock::time_point epochStart = Clock::now();
    while (progress.position < n && progress.step < maxSteps) {
      int64_t count = std::min(batch, n - progress.position);
      Clock::time_point stepStart = Clock::now();
      std::vector<double> values =
          trainer.step(data, order.data() + progress.position, count, progress.step + 1);
      if (count == batch && stepsDone > 0) // full batches after the first step
        stepSeconds.push_back(secondsSince(stepStart));
      ++progress.step;
      progress.position += count;
      ++stepsDone;
      if (stepsDone == 1) {
        AllocatorStats a = allocatorStats();
        systemAllocsAfterFirst = a.systemAllocations;
        requestsAfterFirst = a.requests;
        scratchAfterFirst = a.bytesHeld;
      }
      if (!std::isfinite(values[0]) && !warnedNonFinite) {
        note(fmt::format("the loss is {} at step {}", values[0], progress.step));
        warnedNonFinite = true;
      }
      stats.add(values, count);
      log.row(progress.step, progress.epoch + 1, values);
    }
    double elapsed = secondsSince(epochStart), total = secondsSince(start);
    std::string line = fmt::format("epoch {}/{}", progress.epoch + 1, epochs);
    for (int i = 0; i < model.numOutputs; ++i)
      line += fmt::format("  {} {}", model.outputs[i],
                          formatValue(stats.sums[size_t(i)] / double(stats.samples)));
    double rate = elapsed > 0 ? double(stats.samples) / elapsed : 0;
    double eta = double(plannedSteps - stepsDone) * total / double(stepsDone);
    fmt::print("{}  | {:.0f} samples/s  ETA {}\n", line, rate, formatDuration(eta));
    std::fflush(stdout);
    log.flush();
    if (progress.position == n) {
      ++progress.epoch;
      progress.position = 0;
    }
  }
  log.flush();

  if (!opt.save.empty())
    saveCheckpoint(opt.save, "--save", model, trainer.weights(), progress);
  fmt::print("trained {} steps in {:.2f}s (now at step {}, epoch {}){}\n", stepsDone,
             secondsSince(start), progress.step, progress.epoch,
             opt.save.empty() ? "" : fmt::format("; saved {}", opt.save));
  if (!stepSeconds.empty()) {
    std::sort(stepSeconds.begin(), stepSeconds.end());
    fmt::print("step time: median {:.3f} ms, min {:.3f}, max {:.3f} over {} full batches after "
               "the first step\n",
               1e3 * stepSeconds[stepSeconds.size() / 2], 1e3 * stepSeconds.front(),
               1e3 * stepSeconds.back(), stepSeconds.size());
  }
  MemoryPlan plan = estimatePlan(model, batch);
  plan.params = trainer.paramBytes();
  plan.state = trainer.stateBytes();
  plan.batches = trainer.batchBytes();
  if (stepsDone > 0) {
    plan.scratch = scratchAfterFirst;
    plan.measured = true;
  }
  printPlan(plan, stdout);
  if (opt.profile)
    fmt::print("{}", kernelProfile(model.trainStep, 0.005));
  if (stepsDone > 1) {
    AllocatorStats a = allocatorStats();
    fmt::print("  allocations after the first step: {}\n",
               a.systemAllocations - systemAllocsAfterFirst);
    // Served from the cache, but each takes a lock: a kernel that allocates
    // inside its loops shows here (the seed autoencoder's 4-wide layers
    // did, 256 calls a kernel call, 40 us each).
    if (opt.profile)
      fmt::print("  kernel scratch requests per step: {}\n",
                 (a.requests - requestsAfterFirst) / (stepsDone - 1));
  }
  return 0;
}

} // namespace mlc::rt
