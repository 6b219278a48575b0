#include "client/terminal/line_editor.hpp"

#include <cstdio>
#include <histedit.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace kurir::client {

namespace {

/// Columns taken by UTF-8 text: one per character (no wide characters).
int width_of(const char* begin, const char* end) {
  int n = 0;
  for (auto p = begin; p < end; ++p)
    if ((static_cast<unsigned char>(*p) & 0xC0) != 0x80)
      ++n;
  return n;
}

/// Turns each "\n" into "\r\n", which is right in any output mode.
std::string crlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n')
      out += '\r';
    out += c;
  }
  return out;
}

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs)
    out += (out.empty() ? "" : "  ") + x;
  return out;
}

} // namespace

line_editor::line_editor(std::string prompt, complete_fn complete)
    : prompt_(std::move(prompt)), complete_(std::move(complete)) {
  el_ = el_init("kurir", stdin, stdout, stderr);
  hist_ = history_init();
  HistEvent ev;
  ::history(hist_, &ev, H_SETSIZE, 500);
  ::history(hist_, &ev, H_SETUNIQUE, 1);
  el_set(el_, EL_CLIENTDATA, this);
  el_set(el_, EL_EDITOR, "emacs");
  el_set(el_, EL_PROMPT, &line_editor::prompt_cb);
  el_set(el_, EL_HIST, ::history, hist_);
  // The wide form keeps our (static) strings; the narrow one copies them
  // and never frees the copies.
  el_wset(el_, EL_ADDFN, L"kurir-complete", L"complete a command or name",
          &line_editor::complete_cb);
  el_set(el_, EL_BIND, "^I", "kurir-complete", nullptr);
  el_source(el_, nullptr);       // ~/.editrc, if any
  el_set(el_, EL_UNBUFFERED, 1); // raw mode, and shows the prompt
  active_ = true;
}

line_editor::~line_editor() {
  el_set(el_, EL_UNBUFFERED, 0);
  el_end(el_);
  history_end(hist_);
}

char* line_editor::prompt_cb(editline* el) {
  line_editor* self = nullptr;
  el_get(el, EL_CLIENTDATA, &self);
  return self->prompt_.data();
}

unsigned char line_editor::complete_cb(editline* el, int) {
  line_editor* self = nullptr;
  el_get(el, EL_CLIENTDATA, &self);
  const LineInfo* li = el_line(el);
  std::string_view before{li->buffer,
                          static_cast<std::size_t>(li->cursor - li->buffer)};
  auto c = self->complete_(before);
  if (!c.insert.empty())
    el_insertstr(el, c.insert.c_str());
  if (!c.candidates.empty())
    self->print_above(join(c.candidates));
  if (c.insert.empty() && c.candidates.empty())
    return CC_REFRESH_BEEP;
  return CC_REFRESH;
}

line_editor::result line_editor::read(std::string& line) {
  int count = 0;
  const char* buf = el_gets(el_, &count);
  if (buf == nullptr) // an empty line after the key, or the end of input
    return input_gone() ? result::eof : result::editing;
  std::string text{buf, static_cast<std::size_t>(count)};
  if (text == "\x04") { // Ctrl-D on an empty line
    clear_edit_area(cursor_row());
    active_ = false;
    return result::eof;
  }
  if (text.empty() || text.back() != '\n')
    return result::editing;
  text.pop_back();
  // libedit has moved below the edit area: go back up over it and clear.
  auto rows = (width_of(prompt_.data(), prompt_.data() + prompt_.size())
               + width_of(text.data(), text.data() + text.size()))
                / columns()
              + 1;
  write("\x1b[" + std::to_string(rows) + "A");
  clear_edit_area(0);
  active_ = false;
  if (!text.empty()) {
    HistEvent ev;
    ::history(hist_, &ev, H_ENTER, text.c_str());
  }
  line = std::move(text);
  return result::line;
}

void line_editor::start_line(std::string prompt) {
  prompt_ = std::move(prompt);
  // Leaving and re-entering unbuffered mode resets the line and the
  // history position and prints the prompt (libedit's read_prepare).
  el_set(el_, EL_UNBUFFERED, 0);
  el_set(el_, EL_UNBUFFERED, 1);
  active_ = true;
}

void line_editor::print_above(const std::string& text) {
  if (!active_) {
    write(crlf(text) + "\r\n");
    return;
  }
  clear_edit_area(cursor_row());
  write(crlf(text) + "\r\n");
  el_set(el_, EL_REFRESH); // redraws prompt and line from the cursor
}

void line_editor::resize() {
  el_resize(el_);
  if (!active_)
    return;
  clear_edit_area(cursor_row());
  el_set(el_, EL_REFRESH);
}

void line_editor::close_line() {
  if (active_)
    clear_edit_area(cursor_row());
  active_ = false;
}

int line_editor::cursor_row() const {
  const LineInfo* li = el_line(el_);
  auto col = width_of(prompt_.data(), prompt_.data() + prompt_.size())
             + width_of(li->buffer, li->cursor);
  return col / columns();
}

void line_editor::clear_edit_area(int rows_up) {
  std::string seq = "\r";
  if (rows_up > 0)
    seq += "\x1b[" + std::to_string(rows_up) + "A";
  write(seq + "\x1b[J");
}

bool line_editor::input_gone() const {
  pollfd p{STDIN_FILENO, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

int line_editor::columns() const {
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}

void line_editor::write(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fflush(stdout);
}

} // namespace kurir::client
