#include "persistence/event_log.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>

namespace kurir::persistence {

namespace {

/// Maps an errno of a failed write to kurir's error code.
failure write_failure(int err, std::string_view what) {
  std::string detail{what};
  detail += ": ";
  detail += std::strerror(err);
  return failure{err == ENOSPC ? errc::storage_full : errc::storage_error,
                 std::move(detail)};
}

/// Rounds toward negative infinity, so times before 1970 stay correct.
int64_t floor_div(int64_t x, int64_t y) noexcept {
  auto q = x / y;
  return (x % y != 0 && (x < 0) != (y < 0)) ? q - 1 : q;
}

} // namespace

std::string escape_for_log(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto byte = static_cast<unsigned char>(ch);
    if (ch == '\\') {
      out += "\\\\";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 0x0f];
    } else {
      out += ch;
    }
  }
  return out;
}

std::string format_log_line(int64_t unix_ms, std::string_view text) {
  auto secs = static_cast<std::time_t>(floor_div(unix_ms, 1000));
  std::tm tm{};
  char stamp[32] = "0000-00-00 00:00:00"; // if the time is out of range
  if (gmtime_r(&secs, &tm) != nullptr)
    std::strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
  std::string line;
  line.reserve(text.size() + 24);
  line += '[';
  line += stamp;
  line += "] ";
  line += text;
  return line;
}

event_log::~event_log() {
  if (file_ != nullptr)
    std::fclose(file_);
}

outcome<done> event_log::open(const std::string& path) {
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
  file_ = std::fopen(path.c_str(), "a");
  if (file_ == nullptr)
    return write_failure(errno, "cannot open log " + path);
  return done{};
}

outcome<done> event_log::append(int64_t unix_ms, std::string_view text) {
  if (file_ == nullptr)
    return failure{errc::storage_error, "the log is not open"};
  auto line = format_log_line(unix_ms, text);
  line += '\n';
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
    auto err = errno;
    std::clearerr(file_); // let a later append retry once space returns
    return write_failure(err, "cannot append to the log");
  }
  return done{};
}

outcome<done> event_log::flush() {
  if (file_ == nullptr)
    return failure{errc::storage_error, "the log is not open"};
  if (std::fflush(file_) != 0) {
    auto err = errno;
    std::clearerr(file_);
    return write_failure(err, "cannot flush the log");
  }
  return done{};
}

} // namespace kurir::persistence
