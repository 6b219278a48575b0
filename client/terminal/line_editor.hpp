#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "client/terminal/completion.hpp"

struct editline;
struct history;

namespace kurir::client {

/// Line editing with libedit (BSD licence), driven one key at a time from a
/// poll loop, that can print above the line being typed without garbling
/// it: `print_above` moves the cursor to the start of the edit area, clears
/// from there to the end of the screen, prints, and has libedit redraw the
/// prompt and the unfinished line below (`EL_REFRESH`). The line's text and
/// cursor stay in libedit's buffer throughout.
class line_editor {
public:
  /// Completes the word that ends at the cursor.
  using complete_fn = std::function<completion(std::string_view)>;

  /// What `read` found.
  enum class result {
    editing, ///< the line is not finished
    line,    ///< a line was entered
    eof,     ///< Ctrl-D on an empty line, or the terminal went away
  };

  /// Sets up libedit on stdin/stdout (emacs keys, history, Tab completion)
  /// and shows `prompt`.
  line_editor(std::string prompt, complete_fn complete);
  /// Leaves raw mode and frees libedit's state.
  ~line_editor();
  line_editor(const line_editor&) = delete;
  line_editor& operator=(const line_editor&) = delete;

  /// Handles the input that is waiting (call when stdin is readable). On
  /// `result::line` the entered line is in `line`, removed from the screen;
  /// call `start_line` to show a fresh prompt.
  result read(std::string& line);

  /// Shows a fresh, empty line with `prompt`.
  void start_line(std::string prompt);

  /// Prints `text` (may hold newlines) above the line being typed and
  /// redraws that line as it was, cursor included.
  void print_above(const std::string& text);

  /// Takes a new terminal size into account and redraws.
  void resize();

  /// Clears the edit area, for leaving the program.
  void close_line();

private:
  /// libedit asks for the prompt.
  static char* prompt_cb(editline* el);
  /// Tab: completes, lists the candidates above the line.
  static unsigned char complete_cb(editline* el, int ch);
  /// Rows between the start of the edit area and the cursor.
  int cursor_row() const;
  /// Moves to the start of the edit area and clears to the end of screen.
  void clear_edit_area(int rows_up);
  /// Returns whether the terminal hung up (libedit reports an empty line
  /// and the end of input alike).
  bool input_gone() const;
  /// The terminal's width.
  int columns() const;
  /// Writes to stdout (libedit's stream) and flushes.
  void write(const std::string& s);

  editline* el_ = nullptr;
  history* hist_ = nullptr;
  std::string prompt_;
  complete_fn complete_;
  bool active_ = false; ///< a line is shown and being edited
};

} // namespace kurir::client
