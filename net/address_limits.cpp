#include "net/address_limits.hpp"

namespace kurir::net {

bool is_loopback(std::string_view ip) {
  return ip.substr(0, 4) == "127." || ip == "::1";
}

bool exempt_address(std::string_view ip, bool exempt_loopback) {
  return exempt_loopback && is_loopback(ip);
}

std::string limited_address(std::string_view peer, bool exempt_loopback) {
  auto ip = peer.substr(0, peer.rfind(':'));
  return exempt_address(ip, exempt_loopback) ? std::string{} : std::string{ip};
}

bool address_limits::exempt(const std::string& ip) const {
  return exempt_address(ip, policy_.exempt_loopback);
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
