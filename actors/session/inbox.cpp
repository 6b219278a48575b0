#include "actors/session/inbox.hpp"

namespace kurir {

void inbox::begin_backlog() {
  draining_ = true;
}

std::vector<inbox::message> inbox::end_backlog() {
  draining_ = false;
  std::vector<message> held;
  held.swap(held_);
  return held;
}

std::vector<inbox::message> inbox::live(message msg) {
  std::vector<message> out;
  if (draining_)
    held_.push_back(std::move(msg));
  else
    out.push_back(std::move(msg));
  return out;
}

bool inbox::fresh(const message& msg) const {
  auto i = last_seq_.find(msg.conv);
  return i == last_seq_.end() || msg.seq > i->second;
}

void inbox::mark(const message& msg) {
  auto& last = last_seq_[msg.conv];
  if (msg.seq > last)
    last = msg.seq;
}

void inbox::reset() {
  draining_ = false;
  held_.clear();
  last_seq_.clear();
}

} // namespace kurir
