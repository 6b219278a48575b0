#include "actors/writer/busy_retry.hpp"

#include <algorithm>

namespace kurir {

using std::chrono::ceil;
using std::chrono::milliseconds;

std::optional<milliseconds> busy_retry::busy(clock::time_point now) {
  if (!waiting_) {
    waiting_ = true;
    since_ = now;
    next_ = std::max(policy_.first, milliseconds{1});
  }
  auto deadline = since_ + policy_.timeout;
  if (now >= deadline) {
    waiting_ = false;
    return std::nullopt;
  }
  // The last wait ends at the deadline, so that the last try is made there.
  auto delay = std::min(next_, ceil<milliseconds>(deadline - now));
  next_ = std::min(next_ * 2, std::max(policy_.max, policy_.first));
  return delay;
}

milliseconds busy_retry::waited(clock::time_point now) const {
  return std::chrono::duration_cast<milliseconds>(now - since_);
}

} // namespace kurir
