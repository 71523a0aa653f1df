/* The machine's float32 FMA peak: every thread runs 12 independent chains
 * of 8-lane fused multiply-adds on registers (no memory traffic), 1 thread
 * and then `argv[1]` threads at once, the best of three runs; prints the
 * GFLOP/s of each: the upper bound of any float32 product on this CPU, next
 * to which bench/run.py reports the GEMM ceiling and the step times.
 * Built by bench/run.py: cc -O2 -mavx2 -mfma -pthread fma_peak.c */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ITERS 100000000L

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *chains(void *out) {
  __m256 a[12];
  __m256 b = _mm256_set1_ps(1.0001f), c = _mm256_set1_ps(0.9999f);
  for (int i = 0; i < 12; ++i)
    a[i] = _mm256_set1_ps((float)i);
  for (long n = 0; n < ITERS; ++n) {
#define F(i) a[i] = _mm256_fmadd_ps(a[i], b, c);
    F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9) F(10) F(11)
#undef F
  }
  float s = 0;
  for (int i = 0; i < 12; ++i)
    s += a[i][0];
  *(float *)out = s; /* keeps the chains live */
  return NULL;
}

static double peak(int threads) {
  pthread_t t[64];
  float sink[64];
  double t0 = now();
  for (int i = 0; i < threads; ++i)
    pthread_create(&t[i], NULL, chains, &sink[i]);
  for (int i = 0; i < threads; ++i)
    pthread_join(t[i], NULL);
  return threads * (double)ITERS * 12 * 8 * 2 / (now() - t0) / 1e9;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 2;
  if (threads < 1 || threads > 64)
    return 1;
  /* The best of three: a run shares the machine with whatever else runs. */
  double one = 0, all = 0;
  for (int r = 0; r < 3; ++r) {
    double p1 = peak(1), pn = peak(threads);
    one = p1 > one ? p1 : one;
    all = pn > all ? pn : all;
  }
  printf("%.1f %.1f\n", one, all);
  return 0;
}
