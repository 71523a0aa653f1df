//===- Allocator.cpp - Halide's memory, allocated once --------------------===//

#include "mlc/Runtime/Allocator.h"

#include <HalideRuntime.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <unordered_map>

namespace mlc::rt {

namespace {

// halide_malloc must return memory aligned for any vector load, with at
// least 8 readable bytes before and after the block; a 128-byte guard on each
// side keeps the returned pointer 128-byte aligned.
constexpr size_t kAlignment = 128;
constexpr size_t kGuard = 128;

struct Block {
  void *base;
  size_t size; // usable bytes
};

struct Cache {
  std::mutex mutex;
  std::multimap<size_t, Block> free;      // by usable size
  std::unordered_map<void *, Block> live; // by returned pointer
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
  auto it = c.free.lower_bound(rounded);
  Block block;
  if (it != c.free.end()) {
    block = it->second;
    c.free.erase(it);
  } else {
    void *base = std::aligned_alloc(kAlignment, rounded + 2 * kGuard);
    if (!base)
      return nullptr; // Halide reports "out of memory"
    block = {base, rounded};
    ++c.stats.systemAllocations;
    c.stats.bytesHeld += int64_t(rounded);
  }
  void *ptr = static_cast<char *>(block.base) + kGuard;
  c.live[ptr] = block;
  c.stats.bytesInUse += int64_t(block.size);
  return ptr;
}

void cachingFree(void *, void *ptr) {
  if (!ptr)
    return;
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  auto it = c.live.find(ptr);
  if (it == c.live.end())
    return; // not ours; never happens with a consistent runtime
  c.stats.bytesInUse -= int64_t(it->second.size);
  c.free.emplace(it->second.size, it->second);
  c.live.erase(it);
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
