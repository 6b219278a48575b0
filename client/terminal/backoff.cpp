#include "client/terminal/backoff.hpp"

#include <algorithm>

namespace kurir::client {

backoff::backoff(int64_t base_ms, int64_t cap_ms, uint64_t seed)
    : base_ms_(std::max<int64_t>(1, base_ms)),
      cap_ms_(std::max(base_ms_, cap_ms)), rng_(seed) {
  // nop
}

int64_t backoff::ceiling_ms(int attempt) const {
  int64_t d = base_ms_;
  for (int i = 1; i < attempt && d < cap_ms_; ++i)
    d *= 2;
  return std::min(d, cap_ms_);
}

int64_t backoff::delay_ms(int attempt) {
  auto d = ceiling_ms(attempt);
  std::uniform_int_distribution<int64_t> half{d / 2, d};
  return half(rng_);
}

} // namespace kurir::client
