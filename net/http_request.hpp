#pragma once

// The HTTP of the metrics and web ports: a pure parser of one request head
// and the responses they send. No CAF; fuzzable like the frame codec.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "proto/limits.hpp"

namespace kurir::net {

/// The largest request head read (request line and headers); a larger one
/// is answered 431 and the connection closed.
inline constexpr std::size_t max_http_head = limits::max_http_head;

/// The most header lines a request head may have; more is answered 431.
inline constexpr std::size_t max_http_headers = limits::max_http_headers;

/// How far a request head has arrived.
enum class http_status {
  incomplete, ///< no blank line yet: read more
  complete,   ///< parsed: `method` and `path` are set
  bad,        ///< not HTTP/1.x: 400
  too_large,  ///< past `max_http_head` bytes or `max_http_headers`: 431
};

/// What `parse_http_head` found.
struct http_head {
  http_status status = http_status::incomplete;
  std::string method;   ///< e.g. "GET"
  std::string path;     ///< the target without its query string
  int minor = 1;        ///< 0 for HTTP/1.0, 1 for HTTP/1.1
  std::size_t size = 0; ///< bytes of the head, blank line included
  /// The header lines in order: names in lower case, values trimmed.
  std::vector<std::pair<std::string, std::string>> headers;

  /// Returns the value of the first header called `name` (lower case), or
  /// "" if there is none.
  std::string_view header(std::string_view name) const;

  /// Returns whether header `name`'s comma-separated value has `token`
  /// (ASCII case ignored), as in `Connection: keep-alive, Upgrade`.
  bool has_token(std::string_view name, std::string_view token) const;
};

/// Parses the head at the start of `bytes`: a request line `METHOD SP
/// TARGET SP HTTP/1.x`, then header lines up to a blank line (CRLF or LF).
/// Checks the size before anything else.
http_head parse_http_head(std::string_view bytes,
                          std::size_t limit = max_http_head);

/// Returns a complete HTTP/1.1 response that closes the connection; with
/// `head_only` (a HEAD request) the headers without the body.
std::string http_response(int code, std::string_view content_type,
                          std::string_view body, bool head_only = false,
                          std::string_view extra_headers = {});

/// Returns whether `a` and `b` are equal with ASCII case ignored (header
/// names and tokens, origins and hosts).
bool ascii_iequal(std::string_view a, std::string_view b);

/// Returns the reason phrase of the codes the metrics and web ports send.
std::string_view http_reason(int code);

} // namespace kurir::net
