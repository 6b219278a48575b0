#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "proto/outcome.hpp"

namespace kurir::persistence {

/// Escapes user-supplied text for the log: backslash becomes `\\`, every
/// byte below 0x20 and 0x7f becomes `\xNN`, so one event stays one line
/// and no input can forge a record. Other bytes pass unchanged.
std::string escape_for_log(std::string_view text);

/// Formats `[YYYY-MM-DD HH:MM:SS] text` (UTC) without a newline. `text`
/// must already be escaped.
std::string format_log_line(int64_t unix_ms, std::string_view text);

/// The append-only `log.txt`, one record per line in the seed's format.
class event_log {
public:
  event_log() = default;
  event_log(const event_log&) = delete;
  event_log& operator=(const event_log&) = delete;
  ~event_log();

  /// Opens `path` for appending, creating it if missing.
  outcome<done> open(const std::string& path);

  /// Appends one record; `text` must already be escaped. Buffered.
  outcome<done> append(int64_t unix_ms, std::string_view text);

  /// Flushes buffered records to the file.
  outcome<done> flush();

private:
  std::FILE* file_ = nullptr;
};

} // namespace kurir::persistence
