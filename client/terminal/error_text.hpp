#pragma once

#include <string>
#include <string_view>

namespace kurir::client {

/// Returns a sentence that explains the broker's error `code` (the wire code
/// of `--error--|<code>|<text>;`, e.g. "no_such_user") to a person. Also
/// knows the client's own codes (`usage`, `no_conversation`,
/// `connection_lost`, `cannot_connect`, `protocol`). Unknown codes get a
/// generic sentence that names the code.
std::string explain(std::string_view code);

/// Returns `explain(code)`, followed by the broker's text in parentheses
/// when that text says more than the code's default text.
std::string explain(std::string_view code, std::string_view broker_text);

/// Returns whether the broker sends the error `code` on its own, before it
/// closes the connection, rather than as the answer to a command (e.g.
/// `idle_timeout`; not `frame_too_large`, which answers the frame).
bool closes_on_its_own(std::string_view code);

} // namespace kurir::client
