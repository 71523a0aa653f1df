//===- AutoSchedule.cpp - Halide's autoschedulers, per kernel -------------===//
//
// `mlc compile --schedule=adams2019|li2018|mullapudi2016` replaces the
// manual CPU schedule with the autoscheduler plugin Debian's Halide 14 ships.
// Each kernel is scheduled on its own, with estimates from the DSL shapes
// (the batch at the train block's batch_size).
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "llvm/ADT/ScopeExit.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <thread>

using namespace mlc::hl;

namespace {

struct Plugin {
  const char *library; // in MLC_HALIDE_PLUGIN_DIR
  const char *name;    // as the plugin registers itself
};

const std::map<std::string, Plugin> kPlugins = {
    {"adams2019", {"libautoschedule_adams2019.so", "Adams2019"}},
    {"li2018", {"libautoschedule_li2018.so", "Li2018"}},
    {"mullapudi2016", {"libautoschedule_mullapudi2016.so", "Mullapudi2016"}},
};

/// The estimate of each dim of `shape` (row-major) in Halide order.
Halide::Region estimates(const std::vector<int64_t> &shape, int64_t batch) {
  Halide::Region region;
  for (auto it = shape.rbegin(); it != shape.rend(); ++it)
    region.emplace_back(0, int32_t(mlir::ShapedType::isDynamic(*it) ? batch : *it));
  return region;
}

} // namespace

void mlc::hl::autoSchedule(LoweredFunction &fn, Kernel &kernel, const std::string &name,
                           const Halide::Target &target, int64_t batch) {
  auto plugin = kPlugins.find(name);
  if (plugin == kPlugins.end())
    throw Halide::CompileError("unknown autoscheduler '" + name + "'");
  static std::set<std::string> loaded;
  if (!loaded.count(name)) {
    Halide::load_plugin(std::string(MLC_HALIDE_PLUGIN_DIR) + "/" + plugin->second.library);
    loaded.insert(name);
  }
  for (auto [i, p] : llvm::enumerate(fn.inputs))
    p.set_estimates(estimates(fn.inputShapes[i], batch));
  for (Temp &t : fn.temps)
    t.image.set_estimates(estimates(t.shape, batch));
  fn.batch.set_estimate(int32_t(batch));
  for (auto [i, out] : llvm::enumerate(kernel.outputs))
    out.set_estimates(estimates(kernel.outputShapes[i], batch));
  // The machine: its cores, a 32 MiB last-level cache, Halide's default
  // load/compute balance.
  Halide::MachineParams machine(int(std::max(1u, std::thread::hardware_concurrency())),
                                32 * 1024 * 1024, 40);
  // The plugins report their search on stderr; mlc's output stays its own.
  std::fflush(stderr);
  int saved = dup(2), null = open("/dev/null", O_WRONLY);
  if (null >= 0)
    dup2(null, 2);
  auto restore = llvm::make_scope_exit([&] {
    std::fflush(stderr);
    if (saved >= 0)
      dup2(saved, 2);
    for (int fd : {saved, null})
      if (fd >= 0)
        close(fd);
  });
  Halide::AutoSchedulerResults results =
      Halide::Pipeline(kernel.outputs).auto_schedule(plugin->second.name, target, machine);
  kernel.scheduleLog.push_back(std::string("// ") + plugin->second.name + " (" +
                               results.machine_params_string + ")");
  std::string line;
  for (char c : results.schedule_source) {
    if (c != '\n') {
      line += c;
      continue;
    }
    if (!line.empty())
      kernel.scheduleLog.push_back(line);
    line.clear();
  }
}
