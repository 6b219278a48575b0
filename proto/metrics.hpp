#pragma once

// What the actors count for the metrics endpoint (docs/PROTOCOL.md
// "Metrics"): plain values, no CAF. Each actor keeps its own and answers a
// snapshot when the metrics actor asks; nothing here is shared between
// threads.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "proto/errc.hpp"

namespace kurir::metrics {

/// A histogram over fixed upper bounds, as Prometheus keeps one: a count per
/// bucket (not cumulative; the last bucket is +Inf), the sum and the count.
struct histogram {
  std::vector<double> bounds;   ///< ascending upper bounds ("le")
  std::vector<uint64_t> counts; ///< per bucket; bounds.size() + 1 of them
  double sum = 0;
  uint64_t count = 0;

  /// Creates an empty histogram over `upper_bounds` (ascending).
  static histogram over(std::vector<double> upper_bounds);

  /// Counts `value` in the first bucket whose bound is >= `value`.
  void observe(double value);

  /// Adds the counts of `other`; its bounds must be these (else ignored,
  /// and false returned).
  bool merge(const histogram& other);
};

/// Bounds for counts: 1, 2, 4, ... up to `top` (a power of two).
std::vector<double> powers_of_two(double top);

/// Bounds for durations in seconds: 100 µs to 10 s, three per decade.
std::vector<double> latency_bounds();

/// What one session counted (summed over sessions by the metrics actor).
struct session_counters {
  uint64_t frames_in = 0;
  uint64_t frames_out = 0;
  uint64_t deliveries_live = 0;   ///< routed to the session as committed
  uint64_t deliveries_stored = 0; ///< read back from the database
  uint64_t acks = 0;              ///< deliveries the client acknowledged
  /// Deliveries in flight when the connection closed: not acknowledged (or,
  /// for a protocol-1 client, not written), so each is sent again when the
  /// user next logs in.
  uint64_t redeliveries = 0;
  uint64_t resends = 0; ///< sends answered with an earlier message (duplicate)
  uint64_t logins_ok = 0;
  uint64_t logins_failed = 0;    ///< wrong password, unknown user, errors
  uint64_t logins_throttled = 0; ///< refused with try_later before hashing
  uint64_t registrations = 0;
  std::vector<uint64_t> errors; ///< error frames sent, by `errc` value

  /// Counts an error frame with `code`.
  void count_error(errc code);
  /// Adds `other` to these.
  void add(const session_counters& other);
};

/// A session's answer: its counters and what it has in flight now.
struct session_report {
  session_counters counters;
  uint64_t unacked = 0; ///< deliveries sent, not yet acknowledged
};

/// A user and how many stored messages wait for them beyond their cursors.
struct queue_depth {
  std::string user;
  int64_t depth = 0;
};

/// The writer's answer.
struct writer_report {
  uint64_t commits = 0;         ///< message transactions committed
  uint64_t messages_stored = 0; ///< new messages (resends excluded)
  uint64_t wal_frames = 0;      ///< pages written to the WAL
  uint64_t checkpoints = 0;
  uint64_t commit_failures = 0;     ///< transactions that failed or gave up
  histogram batch_size;             ///< appends per commit
  histogram commit_seconds;         ///< time one commit took
  std::vector<queue_depth> deepest; ///< the deepest queues, deepest first
};

/// The listener's answer.
struct listener_report {
  uint64_t accepted_plain = 0;
  uint64_t accepted_tls = 0;
  uint64_t accepted_web = 0;        ///< the web port (plain or TLS)
  uint64_t refused_per_address = 0; ///< too_many_connections at accept
  uint64_t open = 0;                ///< connections open now
};

/// The authentication front's answer.
struct auth_report {
  uint64_t queued = 0;  ///< hashes running or waiting at the workers
  uint64_t refused = 0; ///< hashes refused with server_busy (pool full)
};

} // namespace kurir::metrics
