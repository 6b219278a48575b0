#pragma once

#include <string>

#include "client/terminal/event.hpp"

namespace kurir::client {

/// Formats an event for scripts: one line per event (several for `help`),
/// tab-separated, each ending in `\n`; tabs, newlines, carriage returns,
/// NUL and backslashes inside fields are written `\t`, `\n`, `\r`, `\0`,
/// `\\`. Returns ""
/// for events that print nothing. The format is documented in README.md
/// ("The terminal client").
std::string plain_format(const event& e);

/// Escapes one field for `plain_format`.
std::string plain_escape(const std::string& field);

/// How `pretty_format` renders.
struct pretty_options {
  std::string self;    ///< the logged-in user
  bool colour = false; ///< use ANSI colours
};

/// Formats an event for a person at a terminal: "HH:MM [conversation]
/// <sender> text" for messages (local time), a short sentence otherwise.
/// Control characters in message text are shown as `?`; a newline starts an
/// indented line. May span several lines (joined with `\n`, no final
/// newline); returns "" for events that show nothing.
std::string pretty_format(const event& e, const pretty_options& opts);

/// Returns local time HH:MM of a Unix time in milliseconds.
std::string clock_of(int64_t unix_ms);

} // namespace kurir::client
