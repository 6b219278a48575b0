#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "proto/limits.hpp"
#include "proto/names.hpp"

namespace kurir {

/// Returns the wall-clock time in unix milliseconds. Handed to actors so a
/// simulation can substitute its own clock.
using wall_clock = std::function<int64_t()>;

/// The system clock as a `wall_clock`.
wall_clock system_wall_clock();

/// Limits and tunables every session shares (see README "Configuration").
struct session_settings {
  std::size_t max_frame_before_login = limits::max_frame_before_login;
  std::size_t max_frame_after_login = limits::max_frame_after_login;
  std::size_t max_body = limits::max_body;
  std::size_t pending_page
    = limits::pending_page; ///< backlog messages fetched per read
  std::size_t max_inflight
    = limits::max_inflight; ///< deliveries sent but not yet delivered
  std::size_t hold_windows
    = limits::hold_windows; ///< held live deliveries, in windows (0: none)
  std::size_t history_page
    = limits::history_page; ///< history messages when none are asked
  std::size_t history_max
    = limits::history_max; ///< most history messages per request
  std::chrono::milliseconds login_deadline{
    limits::login_deadline_ms}; ///< from accept
  std::chrono::milliseconds idle_ping{
    limits::idle_ping_ms}; ///< silence before a ping
  std::chrono::milliseconds idle_close{
    limits::idle_close_ms}; ///< silence before closing
  int max_errors_before_login
    = limits::max_errors_before_login; ///< then too_many_errors and close
  std::size_t max_outbound
    = limits::max_outbound; ///< bytes waiting for a slow client
  std::size_t max_connections_per_ip
    = limits::max_connections_per_ip; ///< open at once
  std::size_t max_new_connections_per_ip
    = limits::max_new_connections_per_ip; ///< within 10 minutes
  bool exempt_loopback = true; ///< loopback clients have no address limits
  double max_rate
    = limits::max_rate; ///< messages a second per connection (0: no limit)
  double max_burst
    = limits::max_burst; ///< messages at once; as much again past it closes
  net::name_rules names;
};

} // namespace kurir
