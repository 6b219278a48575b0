#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "net/names.hpp"

namespace kurir {

/// Returns the wall-clock time in unix milliseconds. Handed to actors so a
/// simulation can substitute its own clock.
using wall_clock = std::function<int64_t()>;

/// The system clock as a `wall_clock`.
wall_clock system_wall_clock();

/// Limits and tunables every session shares (see README "Configuration").
struct session_settings {
  std::size_t max_frame_before_login = 4096;
  std::size_t max_frame_after_login = 65536;
  std::size_t max_body = 16384;
  std::size_t pending_page = 256;  ///< backlog messages fetched per read
  std::size_t max_inflight = 1000; ///< deliveries sent but not yet delivered
  std::size_t history_page = 100;  ///< history messages when none are asked
  std::size_t history_max = 1000;  ///< most history messages per request
  std::chrono::milliseconds login_deadline{30000}; ///< from accept
  std::chrono::milliseconds idle_ping{90000};      ///< silence before a ping
  std::chrono::milliseconds idle_close{150000};    ///< silence before closing
  int max_errors_before_login = 5;         ///< then too_many_errors and close
  std::size_t max_outbound = 262144;       ///< bytes waiting for a slow client
  std::size_t max_connections_per_ip = 16; ///< open at once
  std::size_t max_new_connections_per_ip = 32; ///< within 10 minutes
  bool exempt_loopback = true; ///< loopback clients have no address limits
  double max_rate = 10;  ///< messages a second per connection (0: no limit)
  double max_burst = 20; ///< messages at once; as much again past it closes
  net::name_rules names;
};

} // namespace kurir
