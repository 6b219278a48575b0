#include "actors/session/reply_queue.hpp"

namespace kurir {

reply_queue::slot reply_queue::reserve() {
  entries_.emplace_back();
  return first_ + entries_.size() - 1;
}

void reply_queue::fill(slot s, std::string frame) {
  if (s < first_ || s - first_ >= entries_.size())
    return; // unknown or already taken: ignore
  entries_[s - first_] = std::move(frame);
}

std::vector<std::string> reply_queue::take_ready() {
  std::vector<std::string> out;
  while (!entries_.empty() && entries_.front().has_value()) {
    out.push_back(std::move(*entries_.front()));
    entries_.pop_front();
    ++first_;
  }
  return out;
}

} // namespace kurir
