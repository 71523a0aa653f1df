//===- ThreadPool.h - The pool that runs Halide's parallel loops -*- C++ -*-===//
#ifndef MLC_RUNTIME_THREADPOOL_H
#define MLC_RUNTIME_THREADPOOL_H

#include "HalideRuntime.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace mlc::rt {

/// Runs parallel loops (halide_do_par_for's) on `threads` threads, the
/// caller's included. Its workers keep polling for the next loop for
/// kPollMicros before they sleep: a training step runs one kernel after
/// another, and with Halide's own pool a worker that had gone to sleep
/// joined each loop late (the frozen fine-tune's step, mostly small
/// products: median 0.247-0.282 -> 0.224-0.237 ms, four alternating runs
/// of 3000 steps).
///
/// One loop at a time: a loop started from inside a task, or while another
/// thread's loop runs, runs serially on its caller.
class ThreadPool {
public:
  explicit ThreadPool(int threads);
  ~ThreadPool(); // stops and joins the workers
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  /// Runs task(min) ... task(min + extent - 1), each once, and returns the
  /// first non-zero status any of them returned (0 if none did).
  int run(void *userContext, halide_task_t task, int min, int extent, uint8_t *closure);

  /// How long an idle worker polls before it sleeps.
  static constexpr int kPollMicros = 200;

private:
  struct Loop {
    halide_task_t task = nullptr;
    void *userContext = nullptr;
    uint8_t *closure = nullptr;
    int min = 0, extent = 0;
    std::atomic<int> next{0}, status{0};
  };

  void claim();
  bool wakeFor(uint64_t seen) const;
  void work();

  Loop loop_;
  /// (generation << 32) | workers inside the loop. An odd generation is an
  /// open loop: workers join it by incrementing the word, so none can join
  /// one that has been closed, and the caller rewrites `loop_` only when the
  /// loop is closed and empty.
  std::atomic<uint64_t> state_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_, busy_;
  std::condition_variable wake_;
  std::vector<std::thread> workers_;
};

/// Makes the pipelines' parallel loops run on a ThreadPool of `threads`
/// threads (halide_set_custom_do_par_for); threads < 2 keeps Halide's own
/// pool. Once per process: later calls do nothing.
void installThreadPool(int threads);

} // namespace mlc::rt

#endif
