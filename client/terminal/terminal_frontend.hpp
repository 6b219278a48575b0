#pragma once

#include "client/terminal/app.hpp"
#include "client/terminal/line_editor.hpp"

namespace kurir::client {

/// The interactive front end: a libedit line at the bottom, events printed
/// above it in the human format (`pretty_format`), Tab completion of
/// commands and of the names the session has seen.
class terminal_frontend : public frontend {
public:
  /// Edits on stdin/stdout; `colour` turns ANSI colours on.
  terminal_frontend(const session& s, bool colour);
  /// Clears the edit line; libedit restores the terminal.
  ~terminal_frontend() override;

  /// Returns stdin until Ctrl-D, then -1.
  int input_fd() const override { return eof_ ? -1 : 0; }
  /// Feeds a key to the editor; executes a finished line.
  void on_input(session& s) override;
  /// Prints the event above the line being typed.
  void show(const event& e, const session& s) override;
  /// SIGWINCH redraws; SIGINT, SIGTERM, SIGHUP stop with status 130.
  void on_signal(int sig, session& s) override;

  /// Returns whether colours suit this terminal: stdout is a terminal, TERM
  /// is set and not "dumb", and NO_COLOR is unset or empty.
  static bool colour_wanted();

private:
  line_editor editor_;
  bool colour_;
  bool eof_ = false;
};

} // namespace kurir::client
