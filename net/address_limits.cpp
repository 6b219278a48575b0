#include "net/address_limits.hpp"

namespace kurir::net {

bool address_limits::exempt(const std::string& ip) const {
  return policy_.exempt_loopback && (ip.rfind("127.", 0) == 0 || ip == "::1");
}

bool address_limits::admit(const std::string& ip, time_point now) {
  if (exempt(ip))
    return true;
  auto& r = table_[ip];
  while (!r.accepted.empty() && now - r.accepted.front() >= policy_.window)
    r.accepted.pop_front();
  if (r.open >= policy_.max_open || r.accepted.size() >= policy_.max_new) {
    if (r.open == 0 && r.accepted.empty())
      table_.erase(ip);
    return false;
  }
  ++r.open;
  r.accepted.push_back(now);
  return true;
}

void address_limits::release(const std::string& ip) {
  if (exempt(ip))
    return;
  auto i = table_.find(ip);
  if (i == table_.end() || i->second.open == 0)
    return;
  // An address is forgotten once idle; its window restarts then, which
  // keeps the table as small as the set of connected addresses.
  if (--i->second.open == 0)
    table_.erase(i);
}

} // namespace kurir::net
