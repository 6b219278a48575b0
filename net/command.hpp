#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proto/errc.hpp"

namespace kurir::net {

/// The commands a client can send.
enum class command_kind {
  register_user, ///< `--register--|name|password;`
  login,         ///< `--login--|name|password;`
  logout,        ///< `--logout--:name;` or `--logout--|name;`
  ping,          ///< `--ping--;` or `--ping--|token;`
  send,          ///< `target|body;` or `--send--|client id|target|body;`
  // -- protocol 2 (docs/PROTOCOL.md) --
  hello,   ///< `--hello--|version|capabilities;`
  ack,     ///< `--ack--|message id|...;`
  history, ///< `--history--|peer|limit|before seq|after seq;` (tail optional)
  who,     ///< `--who--;`
  groups,  ///< `--groups--;`
  create,  ///< `--create--|group;`
  add,     ///< `--add--|group|user;`
  remove,  ///< `--remove--|group|user;`
  leave,   ///< `--leave--|group;`
  members, ///< `--members--|group;`
  pong,    ///< `--pong--|token;`: a client's answer to the server's ping
};

/// A parsed client frame. Field meaning depends on `kind`:
/// register/login: `name`, `secret`; logout: `name`; ping: `token`;
/// send: `target`, `body`, `client_id` (may be empty); every protocol-2
/// command other than send: `args`, as written after the command word.
/// Names are passed on as written (not folded).
struct command {
  command_kind kind = command_kind::ping;
  std::string name;
  std::string secret;
  std::string token;
  std::string target;
  std::string body;
  std::string client_id;
  std::vector<std::string> args;
  /// For `ack`: each field's message id, or -1 where the field is not a
  /// non-negative decimal number (that field's text is then in `args`, in
  /// order). Numbers, not texts: acknowledgements that queue in a busy
  /// session's mailbox cost 8 bytes an id, not a string each.
  std::vector<int64_t> ids;
};

/// The result of parsing one frame: a command, or an error with a detail.
struct parse_result {
  command cmd;
  errc error = errc::none;
  std::string detail;
};

/// Parses one raw frame (as produced by `decode`). Pure; never throws.
parse_result parse_command(std::string_view raw_frame);

/// Returns the readable name of `kind`, as used in `--ok--|<command>|...`.
std::string_view to_string(command_kind kind) noexcept;

} // namespace kurir::net
