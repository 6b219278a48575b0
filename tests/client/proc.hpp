#pragma once

// Child processes for the client's end-to-end tests: the real `kurir` with
// pipes on stdin and stdout, and tmux. Every wait has a deadline that only
// matters when a test fails.

#include <cstdint>
#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace kurir::test {

/// Returns the `kurir` binary: $KURIR_BIN, else the build's.
std::string kurir_bin();

/// Runs `argv` to completion and returns what it wrote to stdout.
std::string run_capture(const std::vector<std::string>& argv);

/// `kurir` in plain mode, talking to the broker on 127.0.0.1:`port`.
class kurir_process {
public:
  /// Starts `kurir --plain --port=PORT --user=USER` plus `extra`, with
  /// KURIR_PASSWORD set to `password` (unless empty).
  kurir_process(uint16_t port, const std::string& user,
                const std::string& password,
                std::vector<std::string> extra = {});
  ~kurir_process();
  kurir_process(const kurir_process&) = delete;
  kurir_process& operator=(const kurir_process&) = delete;

  /// Writes one input line (a newline is appended).
  void line(const std::string& text);
  /// Closes stdin: the end of the script.
  void close_input();
  /// Returns the next output line starting with `prefix`, skipping others;
  /// "" if none came within `timeout_ms`.
  std::string wait_for(const std::string& prefix, int timeout_ms = 15000);
  /// Closes stdin, reads the rest and returns the exit status (-1 and a
  /// SIGKILL if it did not exit within `timeout_ms`).
  int finish(int timeout_ms = 20000);
  /// Returns every output line so far.
  const std::vector<std::string>& lines() const { return lines_; }
  /// Returns the output lines that start with `prefix`.
  std::vector<std::string> lines_with(const std::string& prefix) const;

private:
  bool read_some(int timeout_ms);
  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  std::string partial_;
  std::vector<std::string> lines_;
  std::size_t next_ = 0;
};

/// A tmux server on its own socket with one detached session.
class tmux_session {
public:
  /// Starts `command` (run by a shell) in a `width`x`height` pane.
  explicit tmux_session(const std::string& command, int width = 100,
                        int height = 30);
  ~tmux_session();
  tmux_session(const tmux_session&) = delete;
  tmux_session& operator=(const tmux_session&) = delete;

  /// Types `text` literally.
  void type(const std::string& text);
  /// Sends tmux key names, e.g. "Enter", "Tab", "C-u".
  void keys(const std::vector<std::string>& names);
  /// Returns the pane's text.
  std::string capture();
  /// Returns the cursor position as "x,y" (0-based).
  std::string cursor();
  /// Polls the pane until `pred` holds; returns the last capture through
  /// `screen`, false when `timeout_ms` passed.
  bool wait_until(const std::function<bool(const std::string&)>& pred,
                  std::string& screen, int timeout_ms = 15000);

private:
  std::vector<std::string> tmux(std::vector<std::string> args) const;
  std::string socket_;
};

/// Splits text into lines, dropping trailing empty ones.
std::vector<std::string> screen_lines(const std::string& screen);

/// Splits a plain-mode line at tabs.
std::vector<std::string> tabs(const std::string& line);

} // namespace kurir::test
