#include "proto/limits.hpp"

#include <cmath>
#include <cstdio>

namespace kurir::limits {

namespace {

/// Prints `x` without a fraction when it has none.
std::string num(double x) {
  char buf[32];
  if (std::floor(x) == x)
    std::snprintf(buf, sizeof(buf), "%.0f", x);
  else
    std::snprintf(buf, sizeof(buf), "%g", x);
  return buf;
}

std::string secs(int64_t ms) {
  return num(static_cast<double>(ms) / 1000.0) + " s";
}

std::vector<limit_row> make_table() {
  using std::string;
  const string closed = ", connection closed";
  return {
    {"frame before login", num(max_frame_before_login) + " bytes",
     "compiled in (`proto/limits.hpp`)", "`frame_too_large`" + closed},
    {"frame after login", num(max_frame_after_login) + " bytes", "compiled in",
     "`frame_too_large`" + closed},
    {"message body", num(max_body) + " bytes, counted after unescaping",
     "`--max-body`", "`too_long`, nothing stored"},
    {"name", "1–" + num(max_name) + " of `[a-z0-9_.-]`, folded", "compiled in",
     "`bad_name`"},
    {"password", num(min_password) + "–" + num(max_password) + " bytes",
     "compiled in", "`bad_password` (register)"},
    {"undelivered direct messages per recipient and conversation",
     num(static_cast<double>(max_unacked)), "`--max-unacked`",
     "`recipient_queue_full`, nothing stored"},
    {"deliveries in flight per session", num(max_inflight), "`--max-inflight`",
     "the session waits; nothing is dropped"},
    {"history page", num(history_page) + ", at most " + num(history_max),
     "compiled in", "`bad_request` outside 1–" + num(history_max)},
    {"ids in one `--ack--`", num(max_acks), "compiled in",
     "the rest of the frame becomes one id (an unknown id)"},
    {"client id in `--send--`", num(max_client_id) + " bytes", "compiled in",
     "`bad_request`"},
    {"time from connect to login", secs(login_deadline_ms),
     "`--login-deadline`",
     "`login_timeout`" + closed
       + "; bytes that do not complete a login do not extend it"},
    {"silence (no frame received)",
     "ping after " + secs(idle_ping_ms) + ", close after "
       + secs(idle_close_ms),
     "`--idle-ping`, `--idle-close`",
     "the server sends `--ping--\\|kurird;`; any frame, e.g. "
     "`--pong--\\|kurird;`, counts as an answer; else `idle_timeout`"
       + closed},
    {"commands before login that need a login", num(max_errors_before_login),
     "compiled in",
     "after " + num(max_errors_before_login)
       + " `not_authenticated` answers, `too_many_errors`" + closed},
    {"an HTTP request as the first bytes", "—", "—", "`not_kurir`" + closed},
    {"a TLS handshake as the first bytes on the plain port", "—", "—",
     "`not_kurir` (\"this is a kurir broker's plain port, not TLS\")" + closed},
    {"on the TLS port: anything but a TLS handshake (plaintext, HTTP, "
     "garbage), a failed handshake, a renegotiation",
     "—", "`--tls-min-version`, `--tls-ciphers`",
     "no frame (nothing can be sent in clear there): a TLS alert when the "
     "handshake got that far, then the connection is closed"},
    {"on the TLS port: a handshake that does not finish", "—",
     "`--login-deadline`",
     "counts against the login deadline; closed when it passes"},
    {"failed logins",
     num(max_login_failures) + " per account, " + num(max_address_failures)
       + " per address (loopback exempt) a minute",
     "compiled in", "`try_later` before hashing"},
    {"messages per connection (everything but `--ack--`, `--ping--`, "
     "`--pong--`)",
     num(max_rate) + " a second, bursts of " + num(max_burst),
     "`--max-rate` (0: off), `--max-burst`",
     "past it the broker holds the connection's frames, in order, until the "
     "rate allows (nothing is dropped); when more than a burst's worth wait, "
     "it answers `rate_limited`, closes the connection and takes none of the "
     "waiting frames"},
    {"connections per address",
     num(max_connections_per_ip) + " open, " + num(max_new_connections_per_ip)
       + " new per 10 minutes (loopback exempt)",
     "`--max-connections-per-ip`, `--max-new-connections-per-ip`, "
     "`--limit-loopback`",
     "`too_many_connections` as the only frame (on the TLS port, before "
     "any handshake: a TLS `access_denied` alert)"
       + closed},
    {"password hashes queued", num(max_hashes_queued), "compiled in",
     "`server_busy` before hashing"},
    {"a database locked by another process", secs(busy_timeout_ms),
     "`--busy-timeout`",
     "the commit is tried again (after " + num(busy_retry_first_ms)
       + " ms, doubling up to " + num(busy_retry_max_ms)
       + " ms) and later sends wait behind it; past the timeout every send "
         "of that commit gets `server_busy`, nothing stored"},
    {"bytes waiting for a client that does not read", num(max_outbound),
     "`--max-outbound`",
     "deliveries stop at an eighth of it and wait (in memory up to four "
     "windows' worth or four times this many bytes, then in the database) "
     "until the client reads; replies past it close the connection (nothing "
     "stored is lost)"},
    {"web and metrics ports: request head",
     num(max_http_head) + " bytes, " + num(max_http_headers) + " header lines",
     "compiled in", "HTTP 431, connection closed"},
    {"web port: time to send the request (until the WebSocket upgrade)",
     secs(login_deadline_ms), "`--login-deadline`",
     "HTTP 408, connection closed; the login deadline starts again at the "
     "upgrade"},
    {"web port: an upgrade whose `Origin` is not allowed", "same host",
     "`--web-origin`", "HTTP 403, connection closed"},
    {"web port: a WebSocket message",
     "the frame limit + " + num(ws_message_slack) + " bytes", "compiled in",
     "close 1009, connection closed"},
    {"web port: a binary message, a text message that is not UTF-8, an "
     "unmasked or malformed frame",
     "—", "—", "close 1003, 1007 or 1002, connection closed"},
    {"metrics port: connections at once", num(max_metrics_connections),
     "compiled in", "HTTP 503, connection closed"},
    {"metrics port: time to send the request",
     secs(metrics_request_deadline_ms), "compiled in",
     "HTTP 408, connection closed"},
    {"metrics port: an actor's counters during a scrape",
     secs(metrics_gather_deadline_ms), "compiled in",
     "the page is served without them; `kurir_metrics_reports_missing` "
     "counts them"},
  };
}

} // namespace

const std::vector<limit_row>& limit_table() {
  static const std::vector<limit_row> table = make_table();
  return table;
}

std::string limit_table_markdown() {
  std::string out = "| limit | default | how to change | what happens |\n"
                    "|---|---|---|---|\n";
  for (const auto& row : limit_table())
    out += "| " + row.limit + " | " + row.value + " | " + row.options + " | "
           + row.outcome + " |\n";
  return out;
}

std::string with_default(const char* text, double value) {
  return std::string{text} + " (" + num(value) + ")";
}

} // namespace kurir::limits
