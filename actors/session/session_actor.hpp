#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_clock.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/fwd.hpp"
#include "actors/services.hpp"
#include "actors/session/flow_control.hpp"
#include "actors/session/held_lists.hpp"
#include "actors/session/inbox.hpp"
#include "actors/session/reply_queue.hpp"

namespace kurir {

/// A send that passed the session's checks and waits to go to the writer.
struct queued_send {
  reply_queue::slot slot;
  std::string target;    ///< folded
  std::string client_id; ///< echoed in the answer
};

/// The commands of a session: queued, running, or waiting for the writer.
struct session_input {
  std::deque<inbound> queue;   ///< received, not yet dispatched
  bool busy = false;           ///< a blocking command is running
  bool stopping = false;       ///< shutting down: nothing new is dispatched
  int pending_writes = 0;      ///< sends and group changes awaiting the writer
  int errors_before_login = 0; ///< not_authenticated answers so far
  std::vector<queued_send> sends; ///< checked, waiting for flush_sends
  std::vector<persistence::append_request> send_reqs; ///< their appends
};

/// What the client asked for in `--hello--`.
struct session_protocol {
  int version = 1; ///< 2 or 3 after `--hello--|2` or `|3`: presence frames too,
                   ///< and with 3 group events
  bool acks = false; ///< the client acknowledges deliveries
};

/// Silence on the connection: a ping first, a close later.
struct idle_watch {
  caf::actor_clock::time_point last_activity; ///< last frame received
  bool pinged = false;                        ///< a server ping is unanswered
};

/// One login under way (session_login.cpp runs it step by step).
struct login_attempt;

/// State of a session: one per connection, the logic of one client.
///
/// Commands run in arrival order. Register, login (until the backlog is
/// out) and hello block the input until they finish; everything else is
/// pipelined. Replies leave in command order (`reply_queue`).
///
/// Deliveries: `flow` (a `flow_control`) decides when the session falls
/// behind (window full or socket slow), when it reads from the database
/// again and how much; `box` orders live deliveries against those reads.
struct session_state {
  static inline const char* name = "session";

  /// Binds the state to its actor.
  explicit session_state(caf::event_based_actor* owner);

  caf::event_based_actor* self;
  caf::actor conn;  ///< the socket broker
  std::string peer; ///< the client's address, "ip:port"
  services svc;
  std::string user;   ///< empty until login
  uint64_t epoch = 0; ///< bumps at login and logout; stale replies check it
  session_protocol proto;
  session_input input;
  idle_watch idle;
  reply_queue replies;
  inbox box;
  flow_control flow;
  /// Live deliveries held while the socket is full (only while live and
  /// not reading; empty whenever `flow.behind()`).
  held_lists held;
  metrics::session_counters counts; ///< for the metrics actor

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
  /// Checks a login and starts its steps (session_login.cpp).
  void do_login(reply_queue::slot s, net::command& cmd);
  void do_logout(reply_queue::slot s, const net::command& cmd);

  // -- login (session_login.cpp) -------------------------------------------

  /// Runs the next step of login `a`.
  void login_next(std::shared_ptr<login_attempt> a);
  /// Step 1: the user's hash from the writer (the dummy hash if unknown).
  void login_find(std::shared_ptr<login_attempt> a);
  /// Step 2: the hasher checks the throttle and the password.
  void login_verify(std::shared_ptr<login_attempt> a);
  /// Step 3: the user's contacts from the spool (for presence).
  void login_contacts(std::shared_ptr<login_attempt> a);
  /// Step 4: the registry registers this session for the user.
  void login_register(std::shared_ptr<login_attempt> a);
  /// Step 5: logged in; the reply, then the first read of what waits.
  void login_done(std::shared_ptr<login_attempt> a);
  /// The one failure path: answers the login with `err`, resumes input.
  void login_failed(const login_attempt& a, const caf::error& err);

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
  void on_group_event(const persistence::membership_change& c);

  // -- delivery (session_delivery.cpp) --------------------------------------

  /// Commits pending cursor moves, then reads what waits; with `initial`
  /// the input stays blocked until the read is done (login).
  void start_read(bool initial);
  /// Reads the next page of what waits for the user.
  void fetch_page(bool initial);
  /// Ends a read from the database (`failed`: it could not be read); reads
  /// again at once if still behind with room.
  void end_read(bool initial, bool failed = false);
  /// A failed read's pause is over: read again if still behind with room.
  void on_read_retry();
  /// How long a failed read waits before it is tried again.
  static constexpr std::chrono::milliseconds read_retry{100};
  /// Sends what is new, in order, while `flow` lets it (`stored`: read
  /// from the database, else live; counted apart).
  /// (Messages from the session's own user are never sent to it.)
  /// Starts at index `from`. Where the socket is full but the window is
  /// not and `may_hold` is set, it stops and returns the index of the first
  /// message not offered, for the caller to hold; else it falls behind and
  /// returns `msgs.size()`.
  std::size_t offer(const persistence::message_list& msgs, bool stored = false,
                    std::size_t from = 0, bool may_hold = false);
  /// Offers a live list, holding what the full socket does not take.
  void offer_live(held_lists::list_ptr list, std::size_t from);
  /// Holds `list` from `from` on; past `settings.hold_windows` windows' worth
  /// of held messages, or as many times `max_outbound` of their bytes, falls
  /// behind instead (they are all in the database).
  void hold(held_lists::list_ptr list, std::size_t from);
  /// Offers what is held, oldest first, while the socket takes it.
  void release_held();
  /// Falls behind: every held message is noted as unsent, then forgotten.
  void drop_held();
  /// Returns about how many bytes the delivery frames of `msgs` take.
  static std::size_t frames_size(const persistence::message_list& msgs,
                                 std::size_t from = 0);
  /// Encodes `m` at the end of `out` and counts it as unwritten.
  void add_delivery(const persistence::stored_message& m, outbound& out);
  /// Remembers that `m` was not sent, so the next read starts before it.
  void note_unsent(const persistence::stored_message& m);
  /// Live deliveries from the registry, in commit order; the list may be
  /// shared with other sessions and hold the user's own messages.
  void on_deliver(held_lists::list_ptr list);
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
  /// Returns the counters and the deliveries in flight (metrics).
  metrics::session_report report() const;
};

/// The session actor for the connection served by socket broker `conn`.
caf::behavior session_actor(caf::stateful_actor<session_state>* self,
                            caf::actor conn, std::string peer, services svc);

} // namespace kurir
