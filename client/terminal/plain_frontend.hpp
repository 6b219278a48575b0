#pragma once

#include <cstdio>
#include <string>

#include "client/terminal/app.hpp"

namespace kurir::client {

/// The script front end: reads commands line by line from a descriptor
/// (stdin) and prints one tab-separated line per event (`plain_format`).
/// At the end of its input it asks the session to finish, i.e. to wait for
/// the answers to everything sent.
class plain_frontend : public frontend {
public:
  /// Reads from `in_fd`, writes to `out`.
  plain_frontend(int in_fd, std::FILE* out);

  /// Returns stdin until its end, then -1.
  int input_fd() const override { return in_fd_; }
  /// Executes each complete line; at the end of input, finishes.
  void on_input(session& s) override;
  /// Prints the event's plain line(s) and flushes.
  void show(const event& e, const session& s) override;
  /// SIGINT, SIGTERM, SIGHUP: stop with status 130.
  void on_signal(int sig, session& s) override;

private:
  int in_fd_;
  std::FILE* out_;
  std::string buf_;
};

} // namespace kurir::client
