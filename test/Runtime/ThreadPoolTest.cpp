//===- ThreadPoolTest.cpp - The pool that runs the parallel loops ---------===//
//
// Every iteration exactly once, errors returned, nested and concurrent
// loops run serially, workers that went to sleep wake for the next loop.
//
//===----------------------------------------------------------------------===//

#include "mlc/Runtime/ThreadPool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

using namespace mlc::rt;

namespace {

/// What a loop's tasks see: a counter per iteration and the threads seen.
struct Record {
  std::vector<std::atomic<int>> hits;
  std::mutex mutex;
  std::set<std::thread::id> threads;
  int failAt = -1;
  ThreadPool *nested = nullptr;
  explicit Record(int n) : hits(size_t(n)) {}
};

int countTask(void *, int i, uint8_t *closure) {
  auto *r = reinterpret_cast<Record *>(closure);
  r->hits[size_t(i)].fetch_add(1);
  // Some work, so that a worker has time to join.
  volatile double x = 0;
  for (int k = 0; k < 2000; ++k)
    x = x + k;
  std::lock_guard<std::mutex> lock(r->mutex);
  r->threads.insert(std::this_thread::get_id());
  return i == r->failAt ? 42 : 0;
}

void expectEachOnce(const Record &r, int from, int to) {
  for (int i = 0; i < int(r.hits.size()); ++i)
    EXPECT_EQ(r.hits[size_t(i)].load(), i >= from && i < to ? 1 : 0) << "iteration " << i;
}

TEST(ThreadPool, EveryIterationRunsOnce) {
  ThreadPool pool(2);
  for (int round = 0; round < 200; ++round) {
    Record r(300);
    ASSERT_EQ(pool.run(nullptr, countTask, 7, 250, reinterpret_cast<uint8_t *>(&r)), 0);
    expectEachOnce(r, 7, 257);
  }
}

TEST(ThreadPool, WorkersTakePartAndWakeFromSleep) {
  ThreadPool pool(2);
  for (int round = 0; round < 3; ++round) {
    // Past kPollMicros the worker sleeps; the next loop must wake it.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    bool shared = false;
    for (int attempt = 0; attempt < 50 && !shared; ++attempt) {
      Record r(2000);
      ASSERT_EQ(pool.run(nullptr, countTask, 0, 2000, reinterpret_cast<uint8_t *>(&r)), 0);
      expectEachOnce(r, 0, 2000);
      shared = r.threads.size() == 2;
    }
    EXPECT_TRUE(shared) << "the worker never ran an iteration";
  }
}

TEST(ThreadPool, FirstErrorIsReturned) {
  ThreadPool pool(2);
  Record r(64);
  r.failAt = 13;
  EXPECT_EQ(pool.run(nullptr, countTask, 0, 64, reinterpret_cast<uint8_t *>(&r)), 42);
  EXPECT_EQ(r.hits[13].load(), 1);
}

int nestingTask(void *, int i, uint8_t *closure) {
  auto *r = reinterpret_cast<Record *>(closure);
  Record inner(8);
  int rc = r->nested->run(nullptr, countTask, 0, 8, reinterpret_cast<uint8_t *>(&inner));
  for (int k = 0; k < 8; ++k)
    if (inner.hits[size_t(k)].load() != 1)
      return 1;
  // Serial: the inner loop ran on this task's thread alone.
  if (inner.threads.size() != 1 || !inner.threads.count(std::this_thread::get_id()))
    return 2;
  r->hits[size_t(i)].fetch_add(1);
  return rc;
}

TEST(ThreadPool, NestedLoopsRunSerially) {
  ThreadPool pool(2);
  Record r(16);
  r.nested = &pool;
  EXPECT_EQ(pool.run(nullptr, nestingTask, 0, 16, reinterpret_cast<uint8_t *>(&r)), 0);
  expectEachOnce(r, 0, 16);
}

TEST(ThreadPool, ConcurrentCallersBothFinish) {
  ThreadPool pool(2);
  Record a(500), b(500);
  std::thread other([&] {
    for (int round = 0; round < 50; ++round)
      EXPECT_EQ(pool.run(nullptr, countTask, 0, 10, reinterpret_cast<uint8_t *>(&a)), 0);
  });
  for (int round = 0; round < 50; ++round)
    EXPECT_EQ(pool.run(nullptr, countTask, 0, 10, reinterpret_cast<uint8_t *>(&b)), 0);
  other.join();
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(a.hits[size_t(i)].load(), 50);
    EXPECT_EQ(b.hits[size_t(i)].load(), 50);
  }
}

TEST(ThreadPool, OneThreadRunsOnTheCaller) {
  ThreadPool pool(1);
  Record r(32);
  EXPECT_EQ(pool.run(nullptr, countTask, 0, 32, reinterpret_cast<uint8_t *>(&r)), 0);
  expectEachOnce(r, 0, 32);
  EXPECT_EQ(r.threads.size(), 1u);
  EXPECT_TRUE(r.threads.count(std::this_thread::get_id()));
}

} // namespace
