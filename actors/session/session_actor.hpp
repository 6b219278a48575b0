#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_clock.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/fwd.hpp"
#include "actors/services.hpp"
#include "actors/session/delivery_window.hpp"
#include "actors/session/inbox.hpp"
#include "actors/session/reply_queue.hpp"

namespace kurir {

/// A send that passed the session's checks and waits to go to the writer.
struct queued_send {
  reply_queue::slot slot;
  std::string target;    ///< folded
  std::string client_id; ///< echoed in the answer
};

/// State of a session: one per connection, the logic of one client.
///
/// Commands run in arrival order. Register, login (until the backlog is
/// out) and hello block the input until they finish; everything else is
/// pipelined. Replies leave in command order (`reply_queue`).
///
/// Deliveries: sent ones sit in `window` until delivered (acknowledged by
/// an acking client, written to the socket for a seed client). A full
/// window makes the session `behind`: it drops live deliveries (they are in
/// the database) and reads them back once the window has room again.
struct session_state {
  static inline const char* name = "session";

  /// Binds the state to its actor.
  explicit session_state(caf::event_based_actor* self)
      : self(self), window(1000) {}

  caf::event_based_actor* self;
  caf::actor conn;  ///< the socket broker
  std::string peer; ///< the client's address, "ip:port"
  services svc;
  std::string user;       ///< empty until login
  uint64_t epoch = 0;     ///< bumps at login and logout; stale replies check it
  bool busy = false;      ///< a blocking command is running
  int pending_writes = 0; ///< sends and group changes awaiting the writer
  int errors_before_login = 0; ///< not_authenticated answers so far
  caf::actor_clock::time_point last_activity; ///< last frame received
  bool pinged = false;                        ///< a server ping is unanswered
  bool stopping = false;
  int protocol = 1;      ///< 2 after `--hello--|2`: presence frames too
  bool ack_mode = false; ///< the client acknowledges deliveries (hello)
  bool behind = false;   ///< the window overflowed: read from the database
  bool reading = false;  ///< a read from the database is under way
  std::deque<inbound> input;
  std::vector<queued_send> sends; ///< checked, waiting for flush_sends
  std::vector<persistence::append_request> send_reqs; ///< their appends
  reply_queue replies;
  inbox box;
  delivery_window window;
  persistence::backlog_key backlog_after; ///< where the current read is
  std::deque<std::size_t> unwritten; ///< sizes of deliveries not yet written
  std::size_t unwritten_bytes = 0;   ///< their sum
  std::size_t avg_delivery = 0;      ///< bytes, a moving average
  /// Every message before this key has been sent; the next read starts here.
  static constexpr persistence::backlog_key no_resume{
    std::numeric_limits<int64_t>::max(), 0};
  persistence::backlog_key resume_after;

  // -- input (session_actor.cpp) --------------------------------------------

  /// Frames from the socket broker, in order (one read's worth).
  void on_inbound(std::vector<inbound> ins);
  void pump();
  /// Returns whether `in` must wait for this session's pending writes: a
  /// read sees what the same session wrote before it.
  bool waits_for_writes(const inbound& in) const;
  /// `n` sends or group changes got their answers from the writer.
  void write_done(std::size_t n = 1);
  /// Returns whether `in` may run while sends wait in `send_reqs`.
  static bool joins_sends(const inbound& in);
  void dispatch(inbound& in);
  /// Runs a command that needs a login.
  void dispatch_user(reply_queue::slot s, net::command& cmd);

  // -- accounts (session_commands.cpp) --------------------------------------

  void do_hello(reply_queue::slot s, const net::command& cmd);
  void do_register(reply_queue::slot s, net::command& cmd);
  void do_login(reply_queue::slot s, net::command& cmd);
  void do_verify(reply_queue::slot s, std::string name, std::string hash,
                 std::string password, bool known);
  void do_contacts(reply_queue::slot s, std::string name);
  void do_online(reply_queue::slot s, std::string name,
                 std::vector<std::string> contacts);
  void do_logout(reply_queue::slot s, const net::command& cmd);

  // -- messages (session_messages.cpp) --------------------------------------

  /// Checks a send and queues it for `flush_sends`.
  void do_send(reply_queue::slot s, net::command& cmd);
  /// Asks the writer to append the queued sends, in one request.
  void flush_sends();
  /// Answers the sends of one request with the writer's results.
  void on_sent(const std::vector<queued_send>& batch, append_results& res);
  void do_ack(reply_queue::slot s, const net::command& cmd);
  void do_history(reply_queue::slot s, const net::command& cmd);

  // -- groups and presence (session_groups.cpp) -----------------------------

  void do_who(reply_queue::slot s);
  void do_groups(reply_queue::slot s);
  void do_members(reply_queue::slot s, const net::command& cmd);
  void do_change(reply_queue::slot s, const net::command& cmd);
  void on_presence(const std::string& who, bool online);

  // -- delivery (session_delivery.cpp) --------------------------------------

  /// Commits pending cursor moves, then reads what waits; with `initial`
  /// the input stays blocked until the read is done (login).
  void start_read(bool initial);
  /// Reads the next page of what waits for the user.
  void fetch_page(bool initial);
  /// Ends a read from the database.
  void end_read(bool initial);
  /// Sends what is new, in order, while the window has room.
  /// (Messages from the session's own user are never sent to it.)
  void offer(const persistence::message_list& msgs);
  /// Returns about how many bytes the delivery frames of `msgs` take.
  static std::size_t frames_size(const persistence::message_list& msgs);
  /// Encodes `m` at the end of `out` and counts it as unwritten.
  void add_delivery(const persistence::stored_message& m, outbound& out);
  /// Remembers that `m` was not sent, so the next read starts before it.
  void note_unsent(const persistence::stored_message& m);
  /// Returns how many rows the next read should fetch.
  std::size_t page_rows() const;
  /// Returns whether enough deliveries wait for the socket to stop sending.
  bool socket_full() const;
  /// Live deliveries from the registry, in commit order; the list may be
  /// shared with other sessions and hold the user's own messages.
  void on_deliver(const persistence::message_list& msgs);
  /// `count` deliveries reached the socket.
  void on_written(uint64_t count);
  /// Moves cursors, then reads from the database if behind and there is room.
  void delivered(const std::vector<persistence::cursor_update>& moves);

  // -- output (session_actor.cpp) -------------------------------------------

  /// Fills a reply slot (several frames joined by newlines, or nothing) and
  /// writes every reply that is now in order.
  void reply(reply_queue::slot s, std::string frames);
  /// Writes every reply that is now in order, in one write.
  void flush_replies();
  /// Writes one frame that is not a reply (ping, presence).
  void write(std::string frame);
  /// Fills a reply slot with an error frame and logs it.
  void reply_error(reply_queue::slot s, errc code, std::string_view detail,
                   std::string_view what);
  /// Fills a reply slot with the error a request failed with.
  void reply_failure(reply_queue::slot s, const caf::error& err,
                     std::string_view what);
  /// Ends a blocking command and resumes the input.
  void unblock();

  // -- lifetime (session_actor.cpp) -----------------------------------------

  /// Sends an error that ends the connection, after every earlier reply.
  void close_with(errc code, std::string detail);
  /// The login deadline passed: close unless logged in.
  void on_login_deadline();
  /// Checks for silence: ping first, close later; schedules the next check.
  void on_tick();

  void on_shutdown();
  void maybe_close();
  /// The connection is gone: log it and quit.
  void on_closed();
  /// Appends a record to log.txt.
  void log(std::string text);
};

/// The session actor for the connection served by socket broker `conn`.
caf::behavior session_actor(caf::stateful_actor<session_state>* self,
                            caf::actor conn, std::string peer, services svc);

} // namespace kurir
