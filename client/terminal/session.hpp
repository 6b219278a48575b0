#pragma once

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "client/core/outbox.hpp"
#include "client/terminal/backoff.hpp"
#include "client/terminal/commands.hpp"
#include "client/terminal/event.hpp"

namespace kurir::client {

/// What a `session` needs to know up front.
struct session_config {
  std::string user;              ///< login name, as given (the broker folds it)
  std::string password;          ///< never logged, never put in an event
  bool register_first = false;   ///< register before the first login
  std::string client_id_prefix;  ///< unique per run, e.g. random hex
  int max_retries = 10;          ///< failed connections in a row before
                                 ///< giving up; 0: never give up
  int64_t backoff_base_ms = 250; ///< first reconnection delay (ceiling)
  int64_t backoff_cap_ms = 30000; ///< largest reconnection delay
  uint64_t seed = 1;              ///< for the backoff jitter
  int history_default = 20;       ///< `/history` without a count
  std::size_t max_frame = 65536;  ///< the broker's frame limit after login
};

/// The protocol-2 client logic, with no I/O: frames in, events out;
/// commands in, frames out. It keeps the reply order (replies come in command
/// order), acknowledges messages once they are shown, drops deliveries it
/// has already shown, tags sends with client ids and sends unconfirmed ones
/// again after a reconnect, and computes the reconnection delays.
///
/// The front end drives it: `on_connected`, `on_frame` for every frame,
/// `on_disconnected`; `execute` for every input line; after showing a
/// `message` event it calls `shown`; it writes `take_output()` to the socket.
class session {
public:
  /// Creates a session that is not connected yet.
  explicit session(session_config cfg);

  // -- connection lifecycle --------------------------------------------------

  /// The TCP connection is up: says hello, registers if asked, logs in.
  void on_connected(const std::string& host, uint16_t port);

  /// Handles one frame as `net::decode` yields it (escapes kept, no `;`).
  void on_frame(std::string_view raw);

  /// The connection dropped or could not be made. Returns the delay before
  /// the next attempt in milliseconds, or -1 when the session is done.
  int64_t on_disconnected(const std::string& reason);

  /// The connection can never work as configured (the broker's TLS
  /// certificate cannot be verified, no TLS version in common): gives up
  /// with a `fatal` event and exit status `exit_code::connect`.
  void on_refused(const std::string& reason);

  // -- input ------------------------------------------------------------------

  /// Carries out one parsed input line.
  void execute(const user_command& cmd);

  /// The front end has shown the message `id`: acknowledge it.
  void shown(int64_t id);

  /// No more input: once every command has its answer (a ping barrier),
  /// emit `finished`. Survives reconnects.
  void finish();

  /// Gives up at once (Ctrl-C, SIGTERM): `done()` with exit status `status`.
  void stop(int status);

  // -- output -----------------------------------------------------------------

  /// Returns the bytes to write to the socket, and forgets them.
  std::string take_output();

  /// Returns the events since the last call, in order.
  std::vector<event> take_events();

  // -- state ------------------------------------------------------------------

  /// Returns whether the session has finished or given up.
  bool done() const { return done_; }
  /// Returns the exit status once `done()`.
  int exit_status() const { return exit_status_; }
  /// Returns whether it is connected and logged in.
  bool logged_in() const { return ready_; }
  /// Returns the logged-in user's name, as the broker spelled it.
  const std::string& self() const { return self_; }
  /// Returns the current conversation (user or group), or "".
  const std::string& current() const { return current_; }
  /// Returns every user and group name seen so far (for completion).
  const std::set<std::string>& names() const { return names_; }
  /// Returns the number of sends without an answer yet.
  std::size_t unconfirmed() const;
  /// Returns whether the front end should drop the connection and
  /// reconnect (the login was refused for now: `try_later`).
  bool wants_reconnect() const { return reconnect_wanted_; }

private:
  /// What a request is; `backlog` and `end` are ping barriers, `local` an
  /// event of the client's own that waits for the replies before it.
  enum class req {
    hello,
    register_user,
    login,
    backlog,
    send,
    history,
    who,
    groups,
    members,
    create,
    add,
    remove,
    leave,
    logout,
    end,
    local
  };

  /// A command on its way to the broker, or waiting to go.
  struct request {
    req kind = req::hello;
    std::string frame;   ///< the bytes, with `;`
    std::string context; ///< what the user asked, for error events
    int64_t send_no = 0; ///< sends only: its outbox number
    std::string client_id, target, body; ///< sends only
    event local;                         ///< `local`: shown when its turn comes
  };

  // -- replies (session.cpp) --
  /// `--ok--`: the answer to the oldest pending request.
  void on_ok(const std::vector<std::string>& f);
  /// `--ok--` for reads, group changes and logout.
  void on_ok_other(const request& r, const std::vector<std::string>& f);
  /// `--error--`: fails the oldest pending request (or the connection).
  void on_error(const std::vector<std::string>& f);
  /// `--pong--`: the backlog or end-of-input barrier passed.
  void on_pong(const std::vector<std::string>& f);
  /// `--msg--` (dropped if already shown) or `--hist--`.
  void on_delivery(std::string_view raw, bool history);
  /// `--presence--|user|online;`.
  void on_presence(const std::vector<std::string>& f);

  /// `--group--|group|added|by;` (protocol 3).
  void on_group_event(const std::vector<std::string>& f);
  /// Logged in: the backlog barrier, then everything waiting.
  void on_login(const std::string& user);
  /// Takes the oldest pending request; false (and an event) if none.
  bool pop(request& out, std::string_view what);
  /// After a disconnect: what to ask again, what to report as lost.
  void requeue_pending();

  // -- commands (session_commands.cpp) --
  /// Sends `r` now if it may go, else queues it in `waiting_`.
  void issue(request r);
  /// `issue` for a request that is just a frame.
  void issue_simple(req kind, std::string frame, std::string context);
  /// Issues everything queued, in order.
  void flush_waiting();
  /// A `--send--` with the next client id.
  void send(const std::string& target, const std::string& body);
  /// /create, /add, /remove, /leave; else `execute_read`.
  void execute_group_command(const user_command& cmd);
  /// /who, /groups, /members, /history.
  void execute_read(const user_command& cmd);
  /// /query or /join: a new current conversation.
  void switch_to(const std::string& what, const std::string& name);
  /// Gives up: a `fatal` event, `done()`, exit status `status`.
  void fatal(const std::string& code, const std::string& text, int status);
  /// An event of the client's own, shown in command order.
  void local(event_kind kind, std::vector<std::string> fields);
  /// Shows the local events that have reached the front.
  void drain_local();
  /// Reports an event now.
  void emit(event_kind kind, std::vector<std::string> fields = {});
  /// Remembers a user or group name for completion.
  void note_name(const std::string& name);

  session_config cfg_;
  backoff backoff_;
  bool connected_ = false;
  bool ready_ = false;
  bool registered_ = false;
  int register_attempts_ = 0;
  bool finishing_ = false;
  bool reconnect_wanted_ = false;
  bool done_ = false;
  int exit_status_ = exit_code::ok;
  int failures_ = 0;
  bool in_backlog_ = false;
  int backlog_count_ = 0;
  client_core::outbox outbox_; ///< unanswered sends and their client ids
  uint64_t next_token_ = 0;
  std::string self_;
  std::string current_;
  std::deque<request> pending_; ///< sent on this connection, unanswered
  std::deque<request> waiting_; ///< not sent yet (offline or logging in)
  std::string out_;
  std::vector<int64_t> acks_;           ///< shown, to acknowledge
  std::unordered_set<int64_t> unacked_; ///< delivered on this connection
  std::unordered_set<int64_t> seen_;    ///< every id shown
  std::vector<event> events_;
  std::set<std::string> names_;
};

/// Returns the conversation a message belongs to, seen by `self`: the other
/// user of a direct message, or the group.
std::string conversation_of(const delivery& d, const std::string& self);

} // namespace kurir::client
