#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kurir::client {

/// What a line typed by the user asks for.
enum class command_word {
  none,    ///< an empty line: nothing to do
  invalid, ///< a line that does not parse; `user_command::error` says why
  text,    ///< a line without a leading `/`: to the current conversation
  msg,     ///< `/msg user text`
  group,   ///< `/group name text`
  join,    ///< `/join group`: switch the current conversation to a group
  query,   ///< `/query user`: switch the current conversation to a user
  history, ///< `/history [n]`: the last n messages of the current one
  who,     ///< `/who`
  groups,  ///< `/groups`
  members, ///< `/members [group]`
  create,  ///< `/create group`
  add,     ///< `/add group user`
  remove,  ///< `/remove group user`
  leave,   ///< `/leave group`
  logout,  ///< `/logout`: log out, then exit
  quit,    ///< `/quit`: wait for the answers to what was sent, then exit
  help,    ///< `/help`
};

/// A parsed input line.
struct user_command {
  command_word word = command_word::none;
  /// The arguments in order; for `text`, `msg` and `group` the text is the
  /// last argument and keeps its spaces.
  std::vector<std::string> args;
  /// For `invalid`: what is wrong, for a person.
  std::string error;
};

/// Parses one input line. A line starting with `//` is text starting with
/// `/`. Pure; never throws.
user_command parse_line(std::string_view line);

/// Returns every command word with its slash (`/msg`, ...), sorted.
const std::vector<std::string>& command_names();

/// Returns the `/help` text, one line per entry.
const std::vector<std::string>& help_lines();

} // namespace kurir::client
