//===- ThreadPool.cpp - The pool that runs Halide's parallel loops --------===//
//
// The caller publishes a loop and opens it; workers join it, and every
// thread claims iterations from one counter until none are left; the
// caller then closes the loop and waits for the workers still inside.
//
//===----------------------------------------------------------------------===//

#include "mlc/Runtime/ThreadPool.h"

#include <chrono>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace mlc::rt {

namespace {

constexpr uint64_t kInside = 0xffffffffu;

void pause() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

/// Set on the pool's workers, and on a caller while it runs iterations: a
/// loop inside a task runs serially.
thread_local bool inTask = false;

/// Whether `generation` is an open loop a worker that last joined `seen`
/// has yet to join.
bool joinable(uint64_t generation, uint64_t seen) {
  return (generation & 1) && generation != seen;
}

int serial(void *userContext, halide_task_t task, int min, int extent, uint8_t *closure) {
  for (int i = min; i < min + extent; ++i)
    if (int rc = task(userContext, i, closure))
      return rc;
  return 0;
}

} // namespace

ThreadPool::ThreadPool(int threads) {
  for (int t = 1; t < threads; ++t)
    workers_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread &t : workers_)
    t.join();
}

int ThreadPool::run(void *userContext, halide_task_t task, int min, int extent,
                    uint8_t *closure) {
  if (inTask || extent <= 1 || workers_.empty() || !busy_.try_lock())
    return serial(userContext, task, min, extent, closure);
  loop_.task = task;
  loop_.userContext = userContext;
  loop_.closure = closure;
  loop_.min = min;
  loop_.extent = extent;
  loop_.next.store(0, std::memory_order_relaxed);
  loop_.status.store(0, std::memory_order_relaxed);
  uint64_t open = (state_.load(std::memory_order_relaxed) >> 32) + 1;
  state_.store(open << 32); // seq_cst: before the sleepers are counted
  if (sleepers_.load() > 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    wake_.notify_all();
  }
  inTask = true;
  claim();
  inTask = false;
  uint64_t s = state_.load(std::memory_order_relaxed);
  while (!state_.compare_exchange_weak(s, ((open + 1) << 32) | (s & kInside),
                                       std::memory_order_acq_rel))
    ;
  while (state_.load(std::memory_order_acquire) & kInside)
    pause();
  int rc = loop_.status.load(std::memory_order_relaxed);
  busy_.unlock();
  return rc;
}

void ThreadPool::claim() {
  for (int i; (i = loop_.next.fetch_add(1, std::memory_order_relaxed)) < loop_.extent;)
    if (int rc = loop_.task(loop_.userContext, loop_.min + i, loop_.closure)) {
      int none = 0;
      loop_.status.compare_exchange_strong(none, rc, std::memory_order_relaxed);
    }
}

bool ThreadPool::wakeFor(uint64_t seen) const {
  return stop_ || joinable(state_.load() >> 32, seen);
}

void ThreadPool::work() {
  inTask = true;
  uint64_t seen = 0; // the last loop joined
  auto idleSince = std::chrono::steady_clock::now();
  for (unsigned polls = 0; !stop_.load(std::memory_order_relaxed); ++polls) {
    uint64_t s = state_.load(std::memory_order_acquire);
    uint64_t generation = s >> 32;
    if (joinable(generation, seen)) {
      if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel)) {
        seen = generation;
        claim();
        state_.fetch_sub(1, std::memory_order_release);
        idleSince = std::chrono::steady_clock::now();
      }
      continue;
    }
    if (polls % 64 == 0 && std::chrono::steady_clock::now() - idleSince >
                               std::chrono::microseconds(kPollMicros)) {
      std::unique_lock<std::mutex> lock(mutex_);
      sleepers_.fetch_add(1); // seq_cst: before the loop is looked for
      wake_.wait(lock, [&] { return wakeFor(seen); });
      sleepers_.fetch_sub(1);
      idleSince = std::chrono::steady_clock::now();
      continue;
    }
    pause();
  }
}

namespace {

// Never destroyed: its workers poll it until the process exits.
ThreadPool *pool = nullptr;

int poolDoParFor(void *userContext, halide_task_t task, int min, int extent, uint8_t *closure) {
  return pool->run(userContext, task, min, extent, closure);
}

} // namespace

void installThreadPool(int threads) {
  if (threads < 2 || pool)
    return;
  pool = new ThreadPool(threads);
  halide_set_custom_do_par_for(poolDoParFor);
}

} // namespace mlc::rt
