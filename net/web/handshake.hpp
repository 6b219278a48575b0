#pragma once

// The web port's answer to one HTTP request head: a static asset of the
// web client, the WebSocket upgrade at /ws (RFC 6455 section 4.2), or an
// error page. Pure: no sockets, no CAF.

#include <string>
#include <string_view>
#include <vector>

#include "net/http_request.hpp"

namespace kurir::net {

/// Where WebSocket upgrades may come from: exact origins such as
/// "https://chat.example.org"; empty means the page's own host (the
/// `Origin`'s host and port equal the request's `Host`).
struct web_origins {
  std::vector<std::string> allowed;

  /// Parses `--web-origin`'s comma-separated list ("" is same host).
  static web_origins parse(std::string_view list);

  /// Returns whether an upgrade with these `Origin` and `Host` values is
  /// let in. No `Origin` (not a browser) is let in.
  bool admit(std::string_view origin, std::string_view host) const;
};

/// What the web port does with a request.
struct web_answer {
  int code = 0;         ///< 101 for an upgrade, else the HTTP status
  std::string response; ///< the bytes to write
  std::string detail;   ///< why, for the log, when it is an error
};

/// Returns the `Sec-WebSocket-Accept` value for a client's key.
std::string ws_accept_key(std::string_view key);

/// Answers one complete request head: GET or HEAD of an asset, the upgrade
/// at /ws, or 400/403/404/405/426. Every answer but 101 closes.
web_answer answer_request(const http_head& head, const web_origins& origins);

/// The headers every page of the web port carries (each line ends in
/// CRLF): a Content-Security-Policy that forbids inline script, and no
/// sniffing, referrers or framing.
std::string_view web_security_headers();

} // namespace kurir::net
