#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

#include "proto/limits.hpp"

namespace kurir::net {

/// Returns whether `ip` is a loopback address (127.0.0.0/8 or ::1).
bool is_loopback(std::string_view ip);

/// Returns whether the per-address limits (connections here, failed logins
/// in the login throttle) leave `ip` alone: loopback, when `exempt_loopback`
/// (kurird's default; `--limit-loopback` turns it off). The one place that
/// decides it.
bool exempt_address(std::string_view ip, bool exempt_loopback);

/// Returns the address the per-address limits count a client at `peer`
/// ("ip:port") under: its IP, or "" if `exempt_address` leaves it alone.
std::string limited_address(std::string_view peer, bool exempt_loopback);

/// Connections per client address: at most `max_open` at once and
/// `max_new` accepted within `window` (GUARANTEES.md: 16 and 32 per
/// 10 minutes, loopback exempt unless `--limit-loopback`). Plain logic with
/// the time handed in.
class address_limits {
public:
  using time_point = std::chrono::steady_clock::time_point;

  /// The policy.
  struct policy {
    std::size_t max_open = limits::max_connections_per_ip;
    std::size_t max_new = limits::max_new_connections_per_ip;
    std::chrono::steady_clock::duration window = std::chrono::minutes(10);
    bool exempt_loopback = true; ///< see `exempt_address`
  };

  /// Creates limits with policy `p`.
  explicit address_limits(policy p) : policy_(p) {}

  /// Returns whether a new connection from `ip` may stay; if so, counts it.
  bool admit(const std::string& ip, time_point now);

  /// A connection from `ip` that was admitted has ended.
  void release(const std::string& ip);

  /// Returns how many addresses are tracked.
  std::size_t tracked() const { return table_.size(); }

private:
  struct record {
    std::size_t open = 0;
    std::deque<time_point> accepted; // within the window
  };
  bool exempt(const std::string& ip) const;

  policy policy_;
  std::unordered_map<std::string, record> table_;
};

} // namespace kurir::net
