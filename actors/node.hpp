#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/services.hpp"
#include "net/tls/tls.hpp"
#include "persistence/password.hpp"
#include "proto/limits.hpp"
#include "proto/outcome.hpp"

namespace kurir {

/// Everything `kurird` can be told (README "Configuration" lists each).
struct node_options {
  std::string bind = "127.0.0.1";
  int32_t port = limits::port; ///< the plain port; -1: none
  /// The TLS port, listened on when `tls.cert_file` is set; -1: none.
  int32_t tls_port = limits::tls_port;
  net::tls_server_config tls; ///< certificate, key, ciphers, versions
  std::string data_dir = "kurir-data";
  std::string db_file;     ///< default: <data_dir>/kurir.db
  std::string log_file;    ///< default: <data_dir>/log.txt
  std::string users_file;  ///< default: <data_dir>/user.txt
  std::string groups_file; ///< default: <data_dir>/grup.txt
  std::string synchronous = "FULL";
  std::string hash_cost = "interactive"; ///< or "min" (tests only)
  std::size_t hash_workers = limits::hash_workers;
  std::size_t max_batch = limits::max_batch;
  int64_t max_unacked
    = limits::max_unacked; ///< per recipient and direct conversation
  bool detach_io = true;   ///< writer, spool and hashers on their own threads
  /// Checkpoints of the WAL on a thread of their own beside the writer
  /// (actors/checkpoint) instead of inside the commit that fills the WAL:
  /// smoother latency, about 8% more CPU per message (docs/ARCHITECTURE.md).
  /// Only with `detach_io`.
  bool checkpoint_beside = false;
  /// How long a database locked by another process is waited for: by the
  /// writer for each commit (on CAF's clock), by SQLite at start and for
  /// the spool's reads.
  std::chrono::milliseconds busy_timeout{limits::busy_timeout_ms};
  /// The web port (the web client, WebSocket at /ws); -1: none. HTTPS
  /// when `tls.cert_file` is set.
  int32_t web_port = limits::web_port;
  std::string
    web_origin; ///< origins allowed to open a WebSocket; "": same host
  /// The metrics port (Prometheus text at GET /metrics); -1: none.
  int32_t metrics_port = -1;
  std::string metrics_bind = "127.0.0.1"; ///< loopback unless told otherwise
  session_settings session;
};

/// A running broker node: its services and its listener.
struct node {
  services svc;
  caf::actor listener;
  uint16_t port = 0;         ///< the bound plain port; 0: none
  uint16_t tls_port = 0;     ///< the bound TLS port; 0: none
  uint16_t web_port = 0;     ///< the bound web port; 0: none
  bool web_tls = false;      ///< the web port speaks HTTPS
  caf::actor metrics_http;   ///< the metrics port's broker, if on
  uint16_t metrics_port = 0; ///< the bound metrics port; 0: none
};

/// Fills in the file paths left empty from `data_dir`.
void resolve_paths(node_options& opts);

/// Parses a hash cost name ("interactive" or "min").
outcome<persistence::hash_cost> parse_hash_cost(const std::string& name);

/// Creates the data directory, opens the database, imports the seed files,
/// spawns every actor and starts listening. Fails with a readable detail.
outcome<node> start_node(caf::actor_system& sys, node_options opts);

/// Reads the TLS certificate and key again (SIGHUP): new handshakes use
/// them, open connections keep theirs. Returns "" or why the old ones stay.
std::string reload_tls(caf::actor_system& sys, node& n);

/// Stops accepting, lets every connection answer what it started, commits
/// the batch in flight, flushes the log and stops every actor.
void stop_node(caf::actor_system& sys, node& n);

} // namespace kurir
