//===- Allocator.h - Halide's memory, allocated once ------------*- C++ -*-===//
//
// The pipelines allocate their intermediates through halide_malloc. The
// runtime replaces it with a cache: freed blocks go to a size-keyed free list
// and are reused, and nothing is returned to the system before exit, so after
// the first training step the steps allocate nothing.
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_ALLOCATOR_H
#define MLC_RUNTIME_ALLOCATOR_H

#include <cstddef>
#include <cstdint>

namespace mlc::rt {

struct AllocatorStats {
  int64_t bytesHeld = 0;         // all blocks, in use or cached
  int64_t bytesInUse = 0;        // handed out and not yet freed
  int64_t systemAllocations = 0; // blocks obtained from the system
  int64_t requests = 0;          // halide_malloc calls
};

/// Installs the cache with halide_set_custom_malloc/free (idempotent).
void installCachingAllocator();
AllocatorStats allocatorStats();

/// The allocator's malloc/free, exposed for tests.
void *cachingMalloc(void *userContext, size_t size);
void cachingFree(void *userContext, void *ptr);

} // namespace mlc::rt

#endif // MLC_RUNTIME_ALLOCATOR_H
