//===- Allocator.cpp - Halide's memory, allocated once --------------------===//

#include "mlc/Runtime/Allocator.h"

#include <HalideRuntime.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

namespace mlc::rt {

namespace {

// halide_malloc must return memory aligned for any vector load, with at
// least 8 readable bytes before and after the block; a 128-byte guard on each
// side keeps the returned pointer 128-byte aligned.
constexpr size_t kAlignment = 128;
constexpr size_t kGuard = 128;

// Each block's usable size sits in its front guard, just before the
// returned pointer, so free needs no lookup table. (Blocks are never
// returned to the system, so their base is not kept.)
size_t &sizeOf(void *ptr) { return static_cast<size_t *>(ptr)[-1]; }

struct Cache {
  std::mutex mutex;
  // Free blocks (returned pointers) by usable size. A size's vector keeps
  // its capacity when emptied, so once a step's sizes have been seen a
  // malloc/free pair allocates nothing itself: with a multimap node per
  // free block and a hash map of live ones, a pair cost ~150 ns, and
  // kernels that allocate inside loops make thousands a step.
  std::map<size_t, std::vector<void *>> free;
  AllocatorStats stats;
};

Cache &cache() {
  // Leaked on purpose: pipelines on Halide's worker threads may still run
  // free() during static destruction.
  static Cache *c = new Cache;
  return *c;
}

} // namespace

void *cachingMalloc(void *, size_t size) {
  size_t rounded = (size + kAlignment - 1) / kAlignment * kAlignment;
  if (rounded == 0)
    rounded = kAlignment;
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  ++c.stats.requests;
  // Best fit: the smallest cached block that is large enough. A smaller last
  // batch then runs in the full batch's blocks. (Capping the fit at twice
  // the request allocated 9 new blocks in the first partial batch of the
  // classifier example, N = 100, batch 64; uncapped, none.)
  for (auto it = c.free.lower_bound(rounded); it != c.free.end(); ++it) {
    if (it->second.empty())
      continue;
    void *ptr = it->second.back();
    it->second.pop_back();
    c.stats.bytesInUse += int64_t(it->first);
    return ptr;
  }
  void *base = std::aligned_alloc(kAlignment, rounded + 2 * kGuard);
  if (!base)
    return nullptr; // Halide reports "out of memory"
  void *ptr = static_cast<char *>(base) + kGuard;
  sizeOf(ptr) = rounded;
  ++c.stats.systemAllocations;
  c.stats.bytesHeld += int64_t(rounded);
  c.stats.bytesInUse += int64_t(rounded);
  return ptr;
}

void cachingFree(void *, void *ptr) {
  if (!ptr)
    return;
  size_t size = sizeOf(ptr);
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  c.stats.bytesInUse -= int64_t(size);
  c.free[size].push_back(ptr);
}

void installCachingAllocator() {
  halide_set_custom_malloc(cachingMalloc);
  halide_set_custom_free(cachingFree);
}

AllocatorStats allocatorStats() {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return c.stats;
}

} // namespace mlc::rt
