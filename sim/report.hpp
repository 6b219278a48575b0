#pragma once

// The report: speed, latency, the broker's resource use, the faults done
// and the audit's verdict, as a table or as one JSON object.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "sim/audit.hpp"
#include "sim/child.hpp"
#include "sim/context.hpp"
#include "sim/options.hpp"

namespace kurir::sim {

/// Percentiles of a sample, in milliseconds.
struct latency_summary {
  std::size_t samples = 0;                   ///< how many
  double p50 = 0, p90 = 0, p99 = 0, max = 0; ///< nearest rank
};

/// Returns the nearest-rank percentiles of `ms` (sorted in place).
latency_summary summarize(std::vector<double>& ms);

/// Everything kurir-sim reports about a run.
struct report {
  options opt;             ///< what was asked
  std::string broker;      ///< "own kurird child" or host:port
  std::string data_dir;    ///< the child\'s data directory, if kept
  double seconds = 0;      ///< the whole run
  double send_seconds = 0; ///< the send phase
  /// From the start of the send phase to the last counted first delivery.
  double delivery_seconds = 0;
  double sim_cpu_seconds = 0; ///< kurir-sim's own user + system time
  double settle_seconds = 0;  ///< the settle phase
  double connect_seconds = 0; ///< connect and idle: all logged in
  double drain_seconds = -1;  ///< offline: recipients' drain; -1: n/a
  uint64_t drained = 0;       ///< offline: messages drained
  uint64_t idle_rss_kb = 0;   ///< idle: the broker's VmRSS, all logged in
  bool own_child = false;     ///< whether usage and exit are known
  child_usage usage;          ///< the child's resource use
  int child_exit = -1;        ///< the child's exit status at SIGTERM
  counters count;             ///< what the clients counted
  latency_summary latency;    ///< send -> first delivery
  verdict audit_verdict;      ///< the audit
  std::vector<std::string> failures; ///< why the run failed, if it did
};

/// Prints `r` as a readable table.
void print_table(const report& r, std::ostream& out);

/// Prints `r` as one JSON object on one line.
void print_json(const report& r, std::ostream& out);

} // namespace kurir::sim
