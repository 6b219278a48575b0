#include "client/terminal/terminal_frontend.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include "client/terminal/commands.hpp"
#include "client/terminal/format.hpp"

namespace kurir::client {

namespace {

std::string prompt_for(const session& s) {
  return s.current().empty() ? "> " : "[" + s.current() + "] ";
}

} // namespace

terminal_frontend::terminal_frontend(const session& s, bool colour)
    : editor_(
      prompt_for(s),
      [&s](std::string_view before) { return complete(before, s.names()); }),
      colour_(colour) {
  // nop
}

terminal_frontend::~terminal_frontend() {
  editor_.close_line();
}

bool terminal_frontend::colour_wanted() {
  const char* term = std::getenv("TERM");
  const char* no_colour = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && term != nullptr && *term != '\0'
         && std::strcmp(term, "dumb") != 0
         && (no_colour == nullptr || *no_colour == '\0');
}

void terminal_frontend::on_input(session& s) {
  std::string line;
  auto r = editor_.read(line);
  if (r == line_editor::result::editing)
    return;
  if (r == line_editor::result::eof) {
    eof_ = true;
    line = "/quit";
  }
  auto cmd = parse_line(line);
  if (cmd.word == command_word::help) // at once, even while offline
    show(event{event_kind::help, help_lines(), {}, false}, s);
  else
    s.execute(cmd);
  if (!eof_)
    editor_.start_line(prompt_for(s));
  if (cmd.word == command_word::quit && !s.done() && s.unconfirmed() > 0)
    editor_.print_above("-- waiting for the broker to confirm what you sent; "
                        "Ctrl-C leaves now");
}

void terminal_frontend::show(const event& e, const session& s) {
  auto text = pretty_format(e, {s.self(), colour_});
  if (e.kind == event_kind::finished && s.unconfirmed() > 0)
    text = "-- leaving with unconfirmed messages";
  if (!text.empty())
    editor_.print_above(text);
}

void terminal_frontend::on_signal(int sig, session& s) {
  if (sig == SIGWINCH)
    editor_.resize();
  else
    s.stop(exit_code::interrupted);
}

} // namespace kurir::client
