//===- ScheduleCPU.cpp - THE SCHEDULE for CPU targets ---------------------===//
//
// A baseline, not yet the deliberate per-op schedules (tiled GEMMs, fused
// normalisations) that the schedule work will bring:
// - elementwise chains are fused into their last op (Lowering marks them);
// - every other Func, including the helpers Halide creates for inline
//   reductions, is computed at root with its extents bounded, vectorized
//   along its innermost dim (the contiguous last tensor dim) and parallel
//   over its outermost dim; reduction loops stay serial.
// Measured: leaving the reduction helpers at their consumers instead made
// allops.dsl compile 7x slower (they were recomputed inside fused chains).
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include <map>
#include <set>

using namespace mlc::hl;

namespace {

std::string varList(const Halide::Func &f) {
  std::string s;
  for (const Halide::Var &v : f.args())
    s += (s.empty() ? "" : ", ") + v.name();
  return s;
}

} // namespace

void mlc::hl::scheduleCPU(LoweredFunction &fn, const Halide::Target &target) {
  // Natural vector width in f32 lanes: 16 with AVX-512, 8 with AVX2.
  int lanes = target.natural_vector_size(Halide::Float(32));
  std::set<std::string> outputs, images;
  for (const Halide::Func &f : fn.outputs)
    outputs.insert(f.name());
  // Halide reads an input through an implicit "<name>_im" Func: leave inline.
  for (const Halide::ImageParam &p : fn.inputs)
    images.insert(p.name() + "_im");

  // All Funcs reachable from the outputs, in a stable (name) order.
  std::map<std::string, Halide::Internal::Function> all;
  for (const Halide::Func &out : fn.outputs) {
    all[out.name()] = out.function();
    for (const auto &[name, f] : Halide::Internal::find_transitive_calls(out.function()))
      all[name] = f;
  }
  for (auto &[name, function] : all) {
    if (images.count(name))
      continue;
    Halide::Func f(function);
    std::vector<Halide::Var> args = f.args();
    std::string log = name;
    if (fn.inlined.count(name)) {
      fn.scheduleLog.push_back(name + ".compute_inline();");
      continue;
    }
    if (!outputs.count(name)) {
      f.compute_root();
      log += ".compute_root()";
    }
    // Known extents: bounds inference need not combine the regions every
    // consumer asks for (through ~100 Funcs those expressions explode and
    // compile time with them).
    if (auto it = fn.shapes.find(name); it != fn.shapes.end() && !outputs.count(name)) {
      const std::vector<Halide::Expr> &shape = it->second;
      for (size_t k = 0; k < args.size() && k < shape.size(); ++k)
        f.bound(args[k], 0, shape[shape.size() - 1 - k]);
    }
    if (!args.empty()) {
      f.vectorize(args[0], lanes, Halide::TailStrategy::GuardWithIf);
      log += ".vectorize(" + args[0].name() + ", " + std::to_string(lanes) + ")";
      if (args.size() > 1) {
        f.parallel(args.back());
        log += ".parallel(" + args.back().name() + ")";
      }
    }
    // Update definitions (reductions, scatters) run their RDom serially.
    for (int u = 0; u < f.num_update_definitions(); ++u)
      f.update(u).unscheduled();
    fn.scheduleLog.push_back(log + ";  // (" + varList(f) + ")");
  }
}
