#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <unordered_map>

#include "proto/limits.hpp"

namespace kurir {

/// The login throttle's policy; defaults from GUARANTEES.md.
struct login_policy {
  std::size_t max_failures
    = limits::max_login_failures; ///< per account within `window`
  std::size_t max_address_failures
    = limits::max_address_failures; ///< per address within `window`
  std::chrono::steady_clock::duration window = std::chrono::minutes(1);
  std::chrono::steady_clock::duration max_lockout = std::chrono::minutes(15);
  std::size_t max_entries = 100000; ///< tracked names and addresses
};

/// Counts failed logins per account and per address and says when to refuse
/// further attempts (`try_later`) before any hashing. Plain logic with the
/// time handed in, testable without actors.
///
/// An account (or address) that failed `max_failures` times within
/// `window` is locked for `window`, doubling with each further failure up to
/// `max_lockout`. A success clears the account, not the address.
class login_throttle {
public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;
  using duration = clock::duration;

  using policy = login_policy;

  /// Creates a throttle with policy `p`.
  explicit login_throttle(policy p = policy{}) : policy_(p) {}

  /// Returns whether a login for `account` from `address` must be refused
  /// now. An empty address is not counted (loopback is exempt).
  bool refused(const std::string& account, const std::string& address,
               time_point now);

  /// Records a failed login.
  void failure(const std::string& account, const std::string& address,
               time_point now);

  /// Records a successful login: the account starts afresh.
  void success(const std::string& account);

  /// Returns how many accounts and addresses are tracked.
  std::size_t tracked() const { return accounts_.size() + addresses_.size(); }

private:
  struct record {
    std::deque<time_point> failures; // within the window, oldest first
    time_point locked_until{};
    std::size_t strikes = 0; // failures past the limit: the backoff exponent
  };
  using table = std::unordered_map<std::string, record>;

  bool locked(table& t, const std::string& key, time_point now);
  void count(table& t, const std::string& key, std::size_t limit,
             time_point now);
  void purge(table& t, time_point now);

  policy policy_;
  table accounts_;
  table addresses_;
};

} // namespace kurir
