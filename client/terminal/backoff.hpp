#pragma once

#include <cstdint>
#include <random>

namespace kurir::client {

/// Delays between reconnection attempts: exponential, capped, with jitter.
/// Attempt n (from 1) waits a random time in [d/2, d] where
/// d = min(cap, base * 2^(n-1)). Deterministic for a given seed.
class backoff {
public:
  /// Creates a schedule starting at `base_ms`, never above `cap_ms`.
  backoff(int64_t base_ms, int64_t cap_ms, uint64_t seed);

  /// Returns the delay before attempt `attempt` (1 for the first retry).
  int64_t delay_ms(int attempt);

  /// Returns the ceiling d of attempt `attempt`, before jitter.
  int64_t ceiling_ms(int attempt) const;

private:
  int64_t base_ms_;
  int64_t cap_ms_;
  std::mt19937_64 rng_;
};

} // namespace kurir::client
