#pragma once

// Every default limit and tunable of kurird, in one place. The structs that
// carry settings (session_settings, node_options, the policies of the
// throttle and the address limits), kurird's options and their help texts,
// and docs/PROTOCOL.md's limits table are all derived from these constants
// and from `limit_table()`; a test compares the documentation against it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kurir::limits {

// -- framing and bodies (GUARANTEES.md: NATS 4 KiB, Matrix 64 KiB) ---------

/// Bytes of one frame before a login succeeded.
inline constexpr std::size_t max_frame_before_login = 4096;
/// Bytes of one frame after a login.
inline constexpr std::size_t max_frame_after_login = 65536;
/// Bytes of a message body, counted after unescaping.
inline constexpr std::size_t max_body = 16384;
/// Bytes a conn broker asks the socket for per read.
inline constexpr std::size_t read_chunk = 4096;

// -- names and passwords ----------------------------------------------------

/// Longest user or group name.
inline constexpr std::size_t max_name = 32;
/// Shortest password, in bytes.
inline constexpr std::size_t min_password = 8;
/// Longest password, in bytes, checked before hashing.
inline constexpr std::size_t max_password = 1024;

// -- commands ---------------------------------------------------------------

/// Ids in one `--ack--`.
inline constexpr std::size_t max_acks = 1024;
/// Bytes of a client id in `--send--`.
inline constexpr std::size_t max_client_id = 64;
/// History messages when a request names no limit.
inline constexpr std::size_t history_page = 100;
/// Most history messages per request.
inline constexpr std::size_t history_max = 1000;
/// Commands needing a login answered `not_authenticated` before closing.
inline constexpr int max_errors_before_login = 5;

// -- delivery ---------------------------------------------------------------

/// Undelivered messages per recipient and direct conversation.
inline constexpr int64_t max_unacked = 10000;
/// Deliveries per session sent but not yet delivered.
inline constexpr std::size_t max_inflight = 1000;
/// Bytes waiting for a client that does not read.
inline constexpr std::size_t max_outbound = 262144;
/// Windows' worth (`max_inflight`) of live deliveries, and as many times
/// `max_outbound` of their bytes, a session holds by reference while it
/// cannot send, before it falls behind and reads them from the database.
inline constexpr std::size_t hold_windows = 4;
/// Backlog messages a session reads from the database per page.
inline constexpr std::size_t pending_page = 256;

// -- time (milliseconds) ----------------------------------------------------

/// From accept to a successful login.
inline constexpr int64_t login_deadline_ms = 30000;
/// Silence before the server pings.
inline constexpr int64_t idle_ping_ms = 90000;
/// Silence before the server closes.
inline constexpr int64_t idle_close_ms = 150000;
/// How long the writer keeps trying a commit that finds the database locked
/// by another process before its sends fail with `server_busy`.
inline constexpr int64_t busy_timeout_ms = 5000;
/// The writer's first wait before it tries a busy commit again.
inline constexpr int64_t busy_retry_first_ms = 1;
/// The writer's longest wait between two tries (the waits double up to it).
inline constexpr int64_t busy_retry_max_ms = 100;

// -- abuse ------------------------------------------------------------------

/// Messages a second per connection (0: no limit).
inline constexpr double max_rate = 10;
/// Messages at once before the rate applies.
inline constexpr double max_burst = 20;
/// Connections open at once from one address.
inline constexpr std::size_t max_connections_per_ip = 16;
/// Connections accepted from one address within ten minutes.
inline constexpr std::size_t max_new_connections_per_ip = 32;
/// Failed logins per account within a minute before `try_later`.
inline constexpr std::size_t max_login_failures = 5;
/// Failed logins per address within a minute before `try_later`.
inline constexpr std::size_t max_address_failures = 20;
/// Password hashes queued or running before `server_busy`.
inline constexpr std::size_t max_hashes_queued = 64;

// -- the node ---------------------------------------------------------------

/// The plain TCP port.
inline constexpr uint16_t port = 7777;
/// The TLS port (listened on only when a certificate is configured).
inline constexpr uint16_t tls_port = 7443;
/// The web port (HTTP, the web client and WebSocket at /ws).
inline constexpr uint16_t web_port = 7780;
/// Bytes a WebSocket message may have beyond the frame limit: one frame's
/// `;` and a newline.
inline constexpr std::size_t ws_message_slack = 2;
/// Request heads of the metrics and web ports: bytes and header lines.
inline constexpr std::size_t max_http_head = 8192;
inline constexpr std::size_t max_http_headers = 64;
/// The metrics port's limits: connections at once, and the time a client
/// has to send its request.
inline constexpr std::size_t max_metrics_connections = 16;
inline constexpr int64_t metrics_request_deadline_ms = 5000;
/// How long a scrape waits for each actor's counters.
inline constexpr int64_t metrics_gather_deadline_ms = 2000;
/// Threads that run TLS handshakes (with a TLS port).
inline constexpr std::size_t tls_workers = 2;
/// Password hashing threads.
inline constexpr std::size_t hash_workers = 2;
/// Appends that start a group commit at once.
inline constexpr std::size_t max_batch = 256;

// -- the table --------------------------------------------------------------

/// One row of the limits table in docs/PROTOCOL.md.
struct limit_row {
  std::string limit;   ///< what is limited
  std::string value;   ///< the default, in words, from the constants above
  std::string options; ///< kurird options that change it, or "compiled in"
  std::string outcome; ///< what happens at the limit
};

/// Returns every limit a client can run into, in the documented order.
const std::vector<limit_row>& limit_table();

/// Returns `limit_table()` as the Markdown table docs/PROTOCOL.md holds
/// between its `<!-- limits:begin -->` and `<!-- limits:end -->` markers.
std::string limit_table_markdown();

/// Returns `text (value)`, e.g. the help text of an option with its
/// default appended.
std::string with_default(const char* text, double value);

} // namespace kurir::limits
