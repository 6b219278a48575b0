#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kurir::sim {

/// What kurir-sim is told to do (`kurir-sim --help` lists every option).
struct options {
  std::string workload = "dm";    ///< dm, group, offline, churn, connect, idle
  std::string host = "127.0.0.1"; ///< an external broker's address
  uint16_t port = 0;              ///< 0: start an own kurird child
  std::string kurird;             ///< the kurird binary for a child
  std::vector<std::string> kurird_args; ///< extra arguments for the child
  /// TLS: a directory of scripts/dev-cert (ca.pem, server.pem, server.key);
  /// an own child listens on TLS only. Empty: plain TCP.
  std::string tls_dir;
  std::string prefix;     ///< prefix of user and group names
  int users = 20;         ///< simulated users
  int groups = 2;         ///< groups, for group
  int group_size = 10;    ///< members per group
  int messages = 50;      ///< per user
  int window = 16;        ///< sends in flight per user
  int body_size = 32;     ///< bytes, at least the audit tag's size
  int parallel = 64;      ///< connections being set up at once
  double rate = 0;        ///< sends per second per user; 0: as fast as possible
  double duration = 0;    ///< seconds; 0: until every message is sent
  uint64_t seed = 1;      ///< of every random choice
  double kill_every = 0;  ///< seconds between SIGKILLs of the child
  double drop_every = 0;  ///< seconds between abrupt client disconnects
  double stall_every = 0; ///< seconds between clients that stop reading
  double churn_every = 0.05; ///< seconds between churn events (churn)
  double settle = 15;        ///< seconds without progress before giving up
  double reply_timeout = 20; ///< seconds an answer may take
  double timeout = 600;      ///< overall deadline in seconds
  int min_kills = 0;         ///< fail unless this many kills happened
  bool keep_data = false;    ///< keep the child's data directory at the end
  std::string trace;         ///< file for a trace of every frame, or empty
  bool json = false;         ///< print the report as JSON
  bool progress = true;      ///< a progress line on stderr
};

/// Parses the command line; prints help or an error and exits on failure.
options parse_options(int argc, char** argv);

} // namespace kurir::sim
