#pragma once

// The metrics port's HTTP: a pure parser of one request head and the
// responses it sends. No CAF; fuzzable like the frame codec.

#include <cstddef>
#include <string>
#include <string_view>

#include "proto/limits.hpp"

namespace kurir::net {

/// The largest request head read (request line and headers); a larger one
/// is answered 431 and the connection closed.
inline constexpr std::size_t max_http_head = limits::max_http_head;

/// How far a request head has arrived.
enum class http_status {
  incomplete, ///< no blank line yet: read more
  complete,   ///< parsed: `method` and `path` are set
  bad,        ///< not HTTP/1.x: 400
  too_large,  ///< the head passed `max_http_head` bytes: 431
};

/// What `parse_http_head` found.
struct http_head {
  http_status status = http_status::incomplete;
  std::string method; ///< e.g. "GET"
  std::string path;   ///< the target without its query string
};

/// Parses the head at the start of `bytes`: a request line `METHOD SP
/// TARGET SP HTTP/1.x`, then header lines up to a blank line (CRLF or LF).
/// Checks the size before anything else.
http_head parse_http_head(std::string_view bytes,
                          std::size_t limit = max_http_head);

/// Returns a complete HTTP/1.1 response that closes the connection; with
/// `head_only` (a HEAD request) the headers without the body.
std::string http_response(int code, std::string_view content_type,
                          std::string_view body, bool head_only = false);

/// Returns the reason phrase of the codes the metrics port sends.
std::string_view http_reason(int code);

} // namespace kurir::net
