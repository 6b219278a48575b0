#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/fwd.hpp"
#include "actors/services.hpp"
#include "actors/session/inbox.hpp"
#include "actors/session/reply_queue.hpp"

namespace kurir {

/// A delivery written to the socket but not yet reported as written.
struct unconfirmed_delivery {
  std::string user;
  int64_t conv = 0;
  int64_t seq = 0;
};

/// State of a session: one per connection, the logic of one client.
///
/// Commands run in arrival order. Register, login and logout block the
/// input until they finish; sends are pipelined (many may wait for their
/// commit at once). Replies leave in command order (`reply_queue`).
struct session_state {
  static inline const char* name = "session";

  /// Binds the state to its actor.
  explicit session_state(caf::event_based_actor* self) : self(self) {}

  caf::event_based_actor* self;
  caf::actor conn;  ///< the socket broker
  std::string peer; ///< the client's address, "ip:port"
  services svc;
  std::string user;   ///< empty until login
  uint64_t epoch = 0; ///< bumps at login and logout; stale replies check it
  bool busy = false;  ///< a blocking command is running
  bool stopping = false;
  std::deque<inbound> input;
  reply_queue replies;
  inbox box;
  int64_t backlog_after = 0; ///< last message id read from the backlog
  std::deque<unconfirmed_delivery> unconfirmed;

  // -- input ----------------------------------------------------------------

  /// Queues a frame from the socket broker and runs what can run.
  void on_inbound(inbound in);

  /// Runs queued commands until one blocks or the queue is empty.
  void pump();

  /// Runs one command.
  void dispatch(inbound& in);

  // -- commands (session_commands.cpp) --------------------------------------

  void do_register(reply_queue::slot s, net::command& cmd);
  void do_login(reply_queue::slot s, net::command& cmd);
  void do_verify(reply_queue::slot s, std::string name, std::string hash,
                 std::string password, bool known);
  void do_online(reply_queue::slot s, std::string name);
  void do_logout(reply_queue::slot s, const net::command& cmd);
  void do_send(reply_queue::slot s, net::command& cmd);

  // -- output ---------------------------------------------------------------

  /// Fills a reply slot and writes every reply that is now in order.
  void reply(reply_queue::slot s, std::string frame);

  /// Fills a reply slot with an error frame and logs it.
  void reply_error(reply_queue::slot s, errc code, std::string_view detail,
                   std::string_view what);

  /// Ends a blocking command and resumes the input.
  void unblock();

  /// Writes deliveries to the socket.
  void emit(std::vector<persistence::stored_message> msgs);

  /// `count` deliveries reached the socket: move their cursors.
  void on_written(uint64_t count);

  // -- backlog --------------------------------------------------------------

  /// Makes the writer commit pending cursor moves, then reads the backlog.
  void start_backlog();

  /// Reads the next page of what waited for the user.
  void fetch_backlog();

  /// A live delivery from the registry.
  void on_deliver(persistence::stored_message msg);

  // -- lifetime -------------------------------------------------------------

  /// Stop taking commands; close once every reply has been written.
  void on_shutdown();

  /// Closes the connection if stopping and nothing is outstanding.
  void maybe_close();

  /// Appends a record to log.txt, prefixed with the peer address.
  void log(std::string text);
};

/// The session actor for the connection served by socket broker `conn`.
caf::behavior session_actor(caf::stateful_actor<session_state>* self,
                            caf::actor conn, std::string peer, services svc);

} // namespace kurir
