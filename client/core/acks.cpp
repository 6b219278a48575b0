#include "client/core/acks.hpp"

#include "client/core/frames.hpp"

namespace kurir::client_core {

std::size_t ack_book::write(std::string& out, uint64_t stamp) {
  auto n = queued_.size();
  if (n == 0)
    return 0;
  put_acks(out, queued_.data(), n);
  if (!track_) {
    queued_.clear();
    return n;
  }
  for (std::size_t i = 0; i < n; i += max_ack_ids) {
    auto end = n - i < max_ack_ids ? n : i + max_ack_ids;
    auto first = queued_.begin() + static_cast<std::ptrdiff_t>(i);
    unproven_.push_back(
      {stamp, {first, queued_.begin() + static_cast<std::ptrdiff_t>(end)}});
  }
  queued_.clear();
  return n;
}

} // namespace kurir::client_core
