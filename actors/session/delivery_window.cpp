#include "actors/session/delivery_window.hpp"

#include <algorithm>

namespace kurir {

void delivery_window::sent(const std::string& user, int64_t id, int64_t conv,
                           int64_t seq) {
  auto u = user_index(user);
  if (!entries_.emplace(id, entry{conv, seq, u, false}).second)
    return; // already in flight
  order_.push_back(id);
  per_conv_[{u, conv}].push_back(id);
}

uint32_t delivery_window::user_index(const std::string& user) {
  if (entries_.empty())
    users_.clear(); // nothing refers to the old names any more
  for (std::size_t i = 0; i < users_.size(); ++i)
    if (users_[i] == user)
      return static_cast<uint32_t>(i);
  users_.push_back(user);
  return static_cast<uint32_t>(users_.size() - 1);
}

std::optional<std::vector<persistence::cursor_update>>
delivery_window::ack(int64_t id) {
  auto i = entries_.find(id);
  if (i == entries_.end())
    return std::nullopt;
  i->second.done = true;
  std::vector<persistence::cursor_update> out;
  advance({i->second.user, i->second.conv}, out);
  return out;
}

std::vector<persistence::cursor_update>
delivery_window::ack_oldest(std::size_t n) {
  std::vector<persistence::cursor_update> out;
  for (; n > 0 && !order_.empty(); --n) {
    auto id = order_.front();
    order_.pop_front();
    auto i = entries_.find(id);
    if (i == entries_.end() || i->second.done)
      continue;
    i->second.done = true;
    advance({i->second.user, i->second.conv}, out);
  }
  return out;
}

void delivery_window::advance(const key& k,
                              std::vector<persistence::cursor_update>& out) {
  auto q = per_conv_.find(k);
  if (q == per_conv_.end())
    return;
  int64_t last = 0;
  while (!q->second.empty()) {
    auto i = entries_.find(q->second.front());
    if (!i->second.done)
      break;
    last = i->second.seq;
    entries_.erase(i);
    q->second.pop_front();
  }
  if (q->second.empty())
    per_conv_.erase(q);
  if (last > 0)
    out.push_back({users_[k.first], k.second, last});
  // order_ may still name erased ids; they are skipped when reached, and
  // compacted away before they could outnumber the deliveries in flight.
  while (!order_.empty() && entries_.count(order_.front()) == 0)
    order_.pop_front();
  if (order_.size() > 2 * capacity_ + 16) {
    auto gone = [this](int64_t id) { return entries_.count(id) == 0; };
    order_.erase(std::remove_if(order_.begin(), order_.end(), gone),
                 order_.end());
  }
}

void delivery_window::clear() {
  entries_.clear();
  users_.clear();
  order_.clear();
  per_conv_.clear();
}

} // namespace kurir
