#include "actors/session/inbox.hpp"

namespace kurir {

void inbox::begin_backlog() {
  draining_ = true;
  held_.clear();
}

std::vector<inbox::message> inbox::backlog(std::vector<message> page) {
  std::vector<message> out;
  out.reserve(page.size());
  for (auto& msg : page)
    if (accept(msg))
      out.push_back(std::move(msg));
  return out;
}

std::vector<inbox::message> inbox::end_backlog() {
  draining_ = false;
  std::vector<message> held;
  held.swap(held_);
  return backlog(std::move(held));
}

std::vector<inbox::message> inbox::live(message msg) {
  std::vector<message> out;
  if (draining_)
    held_.push_back(std::move(msg));
  else if (accept(msg))
    out.push_back(std::move(msg));
  return out;
}

void inbox::reset() {
  draining_ = false;
  held_.clear();
  last_seq_.clear();
}

bool inbox::accept(const message& msg) {
  auto& last = last_seq_[msg.conv];
  if (msg.seq <= last)
    return false;
  last = msg.seq;
  return true;
}

} // namespace kurir
