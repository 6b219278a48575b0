#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kurir::client {

/// A message as the broker delivers it (`--msg--`) or lists it (`--hist--`).
struct delivery {
  int64_t id = 0;    ///< server message id, unique across conversations
  int64_t seq = 0;   ///< number in its conversation, from 1
  int64_t ts_ms = 0; ///< server time of acceptance, Unix milliseconds
  std::string from;  ///< the sender
  std::string to;    ///< the recipient user, or the group
  std::string body;  ///< unescaped text
};

/// What an `event` reports. The meaning of `event::fields` is given per kind.
enum class event_kind {
  connected,    ///< {host, port}: the TCP connection is up
  disconnected, ///< {reason}: the connection dropped or could not be made
  reconnecting, ///< {attempt, delay in ms}: the next try is scheduled
  registered,   ///< {user}: `--register` succeeded
  logged_in,    ///< {user}: login succeeded; the backlog follows
  backlog_done, ///< {count}: every message that waited has been shown
  message,      ///< `msg`: a delivery, new to this client
  history_item, ///< `msg`: one message of a `/history` answer
  history_done, ///< {peer, count}: the end of a `/history` answer
  sent,         ///< {id, seq, client id, target, body}: a send is stored
  presence,     ///< {user, "online" or "offline"}
  group_event,  ///< {group, "added" or "removed", by whom ("" for oneself:
                ///< one's own create or leave, maybe on another device)}
  who,          ///< {comma-separated contacts online}
  groups,       ///< {comma-separated groups}
  members,      ///< {group, owner, comma-separated members}
  ok,           ///< {command, details...}: create, add, remove, leave,
                ///< logout, query, join
  error,        ///< {code, text, context}: a command failed
  fatal,        ///< {code, text}: the client gives up; see `exit_code`
  finished,     ///< {}: every command has its answer; the client may exit
  help,         ///< {line, line, ...}: the command summary
};

/// One thing the session reports to its front end.
struct event {
  event_kind kind = event_kind::ok;
  std::vector<std::string> fields; ///< per kind, see `event_kind`
  delivery msg;                    ///< for `message` and `history_item`
  bool backlog = false;            ///< `message`: it waited while away
};

/// Exit status of the `kurir` program.
namespace exit_code {
/// Finished normally: every command answered.
constexpr int ok = 0;
/// Bad options or configuration, or no password available.
constexpr int usage = 1;
/// Registration or login refused (`auth_failed`, `name_taken`, ...).
constexpr int auth = 2;
/// No connection after the allowed number of tries.
constexpr int connect = 3;
/// The broker answered something this client cannot work with.
constexpr int protocol = 4;
/// Stopped by SIGINT, SIGTERM or SIGHUP (128 + SIGINT).
constexpr int interrupted = 130;
} // namespace exit_code

} // namespace kurir::client
