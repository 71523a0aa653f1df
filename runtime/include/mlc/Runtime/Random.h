//===- Random.h - Seeded, reproducible random numbers ------------*- C++ -*-===//
//
// xoshiro256** seeded through splitmix64, with our own conversions to
// uniform/normal values, so that a seed gives the same numbers with every
// standard library (std::*_distribution are implementation-defined).
//
//===----------------------------------------------------------------------===//
#ifndef MLC_RUNTIME_RANDOM_H
#define MLC_RUNTIME_RANDOM_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlc::rt {

class Rng {
public:
  /// Independent streams for each (seed, stream) pair.
  Rng(uint64_t seed, uint64_t stream);

  uint64_t next();
  /// Uniform in [0, 1) with 53 random bits.
  double uniform();
  /// Standard normal (Box-Muller).
  double normal();
  /// Uniform in [0, n), unbiased; n > 0.
  uint64_t below(uint64_t n);

private:
  uint64_t s_[4];
};

/// A stream id for a name (FNV-1a), so a parameter's initial values depend
/// only on the seed and its name.
uint64_t streamFor(const std::string &name);

/// The data order of `epoch` (counted from 0): a permutation of [0, n) drawn
/// from (seed, epoch), or the identity when `shuffle` is off.
std::vector<int64_t> epochOrder(uint64_t seed, int64_t epoch, int64_t n, bool shuffle);

} // namespace mlc::rt

#endif // MLC_RUNTIME_RANDOM_H
