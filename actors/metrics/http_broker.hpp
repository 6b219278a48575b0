#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <caf/actor_clock.hpp>
#include <caf/io/broker.hpp>
#include <caf/io/connection_handle.hpp>

#include "actors/metrics/metrics_handle.hpp"
#include "proto/limits.hpp"

namespace kurir {

/// One request on the metrics port.
struct http_conn {
  std::string head;                      ///< bytes of the request so far
  caf::actor_clock::time_point accepted; ///< for the request deadline
  bool answered = false; ///< a response is written or being gathered
};

/// State of the metrics port: one broker serves every connection to it
/// (one request each, then close), asking the metrics actor for the page.
struct metrics_http_state {
  static inline const char* name = "metrics_http";
  metrics_handle metrics;
  std::map<caf::io::connection_handle, http_conn> conns;
  /// Connections served at once; the next one gets 503 and is closed.
  std::size_t max_conns = limits::max_metrics_connections;
  /// Time a client has to send its request head (then 408 and close).
  caf::timespan request_deadline
    = std::chrono::milliseconds(limits::metrics_request_deadline_ms);
  bool ticking = false; ///< a deadline check is scheduled

  /// Admits a connection, or answers 503.
  void on_connection(caf::io::broker* self, caf::io::connection_handle hdl);
  /// Reads request bytes; answers once the head is complete.
  void on_data(caf::io::broker* self, caf::io::connection_handle hdl,
               const std::vector<char>& buf);
  /// Answers a complete request: the page, 404 or 405.
  void on_request(caf::io::broker* self, caf::io::connection_handle hdl,
                  const std::string& method, const std::string& path);
  /// Writes `response` and closes.
  void respond(caf::io::broker* self, caf::io::connection_handle hdl,
               const std::string& response);
  /// Closes connections past the request deadline; schedules the next check.
  void on_tick(caf::io::broker* self);
};

/// The metrics port's broker. `(caf::open_atom, port, bind)` starts
/// listening and answers the bound port.
caf::behavior metrics_http_actor(caf::io::stateful_broker<metrics_http_state>*,
                                 metrics_handle metrics);

} // namespace kurir
