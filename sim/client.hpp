#pragma once

// One simulated user: its connection, its protocol-2 session (hello with
// ack, register, login, sends with client ids, batched acks: the client
// core's frames, reply queue, ack book and outbox), its plan of sends, and
// its reactions to faults. Run by the engine's epoll loop.

#include <cstdint>
#include <string>
#include <vector>

#include "client/core/acks.hpp"
#include "client/core/frames.hpp"
#include "client/core/outbox.hpp"
#include "client/core/replies.hpp"
#include "sim/connection.hpp"
#include "sim/context.hpp"

namespace kurir::sim {

/// A simulated user.
class client {
public:
  /// Creates user `name`, number `index` in the engine.
  client(context& ctx, uint32_t index, std::string name);

  // -- configuration ----------------------------------------------------------

  /// Sets the target of every send: send n goes to `targets[n - 1]`.
  void set_plan(std::vector<std::string> targets) {
    plan_ = std::move(targets);
  }
  /// Adds a setup command (`--create--|g` or `--add--|g|u`) to run, and
  /// repeat after reconnects, until it succeeds.
  void add_setup(std::string frame);
  /// Makes the client close its connection right after a login (and not
  /// come back): the connect storm.
  void set_one_shot(bool on) { one_shot_ = on; }

  // -- control ----------------------------------------------------------------

  /// Wants to be logged in (connects through the engine's admission) or
  /// not (closes the connection normally and stays away).
  void want_online(bool on, time_point now);
  /// Opens the connection (the engine admitted it).
  void connect(time_point now);
  /// Handles epoll `events` on the connection.
  void on_io(uint32_t events, time_point now);
  /// Handles a wake-up: reconnects, the end of a stall, rate-limited sends.
  void on_timer(time_point now);
  /// Drops the connection abruptly (SO_LINGER 0); reconnects soon if online
  /// is wanted. Returns false if there was nothing to drop.
  bool drop(time_point now);
  /// Stops reading until `until`. Returns false if not connected.
  bool stall(time_point until);
  /// One churn event: log out and in again, drop, or close and come back.
  /// Returns false if the client was not logged in.
  bool churn(time_point now);
  /// The broker was killed: acknowledgements not yet proven durable may be
  /// lost, so the audit must allow their redelivery.
  void broker_killed();
  /// Drops the connection if an answer is overdue (`--reply-timeout`).
  void check_overdue(time_point now);
  /// Starts new sends if the window, the rate and the phase allow.
  void pump(time_point now);
  /// Writes the setup commands not yet done (if logged in).
  void run_setup();

  // -- state ------------------------------------------------------------------

  /// Returns the user name.
  const std::string& name() const { return name_; }
  /// Returns the connection generation (changes with every connect).
  uint32_t gen() const { return gen_; }
  /// Returns whether the client is logged in.
  bool online() const { return state_ == state::online; }
  /// Returns whether the client has no connection and wants none.
  bool away() const { return !wanted_ && state_ == state::down; }
  /// Returns whether every planned send was made and answered.
  bool sends_done() const { return next_ >= plan_.size() && outbox_.empty(); }
  /// Returns how many sends wait for their answer.
  std::size_t unconfirmed() const { return outbox_.size(); }
  /// Returns whether every setup command succeeded.
  bool setup_done() const;
  /// Returns how many planned sends were started.
  std::size_t started() const { return next_; }
  /// Returns how many sends are planned.
  std::size_t planned() const { return plan_.size(); }

private:
  /// Where the connection is.
  enum class state { down, connecting, handshake, online, logging_out };
  /// What an awaited answer belongs to.
  enum class kind { hello, reg, login, logout, send, setup };
  /// What a command whose answer is awaited was, in command order.
  struct expect {
    kind what;
    int64_t n; ///< the send number, or the setup index
  };
  /// A setup command.
  struct setup_cmd {
    std::string frame;
    bool done = false;
    uint32_t gen = 0; ///< the connection it was last written on
  };

  // client.cpp: the connection
  /// The connection ended (`by_us`: on purpose): forget its state and
  /// reconnect later if online is wanted.
  void lost(time_point now, bool by_us);
  /// Schedules a reconnect between `min_ms` and `max_ms` from now.
  void retry_later(time_point now, int min_ms, int max_ms);
  /// Connected: writes hello, register (until it worked once) and login.
  void start_handshake(time_point now);
  /// Brings the epoll interest in line with the state.
  void update_watch();
  /// Reads and handles frames, then acks what came and sends more.
  void read_frames(time_point now);
  /// Notes a command just appended to the output, whose answer is awaited.
  void expect_reply(kind what, int64_t n);
  /// Appends `frame` as a command whose answer is awaited.
  void command(std::string_view frame, kind what, int64_t n);
  /// Writes hello and login (after register if the user is new).
  void write_login(bool with_register);
  // client_protocol.cpp: frames
  /// Handles one frame from the broker.
  void on_frame(std::string_view raw, time_point now);
  /// Handles an answer (`ok`: not an `--error--`) to the oldest command.
  void on_reply(bool ok, const client_core::server_frame& f, time_point now);
  /// Handles the answer to `--logout--` (churn): logs in again.
  void on_logout(bool ok, const std::string& text);
  /// Busy or throttled: closes and tries again later.
  void back_off(time_point now);
  /// Handles the answer to `--login--`.
  void on_login(bool ok, const client_core::server_frame& f, time_point now);
  /// Handles the answer to send `n`, the command with `stamp`.
  void on_send_reply(bool ok, const client_core::server_frame& f, int64_t n,
                     uint64_t stamp);
  /// Handles a `--msg--`: audit, counters, latency, ack later.
  void on_delivery(const client_core::server_frame& f, time_point now);
  /// A command with `stamp` was answered: acks written before it were
  /// processed, and if it was a confirmed send (`committed`) durable.
  void acks_answered(uint64_t stamp, bool committed);
  /// Writes `--ack--` frames for what came in this read.
  void flush_acks();
  /// Logged in: setup commands, resends, new sends.
  void after_login(time_point now);
  /// Makes send `n` of the plan and writes it.
  void send_new(int64_t n);
  /// Writes send `n` (again: with the same client id after a reconnect).
  void write_send(int64_t n);

  context& ctx_;               ///< shared with every client
  uint32_t index_;             ///< in the engine
  std::string name_;           ///< the user name
  connection conn_;            ///< the socket, if any
  state state_ = state::down;  ///< where the connection is
  uint32_t gen_ = 0;           ///< connection generation
  uint64_t session_ = 0;       ///< login session, for the audit
  bool wanted_ = false;        ///< wants to be logged in
  bool admitted_ = false;      ///< holds an admission slot
  bool registered_ = false;    ///< the user exists at the broker
  bool ackable_ = false;       ///< login written, no logout since
  bool one_shot_ = false;      ///< close after the login (connect storm)
  bool relogin_ = false;       ///< log in again after the pending logout
  uint32_t watched_ = 0;       ///< the epoll interest set
  int backoff_ms_ = 20;        ///< the next reconnect delay
  time_point retry_at_{};      ///< reconnect not before
  time_point stalled_until_{}; ///< not reading until then
  time_point waiting_since_{}; ///< when the oldest awaited answer was due
  time_point next_send_at_{};  ///< --rate: the next send not before
  int64_t online_since_ = 0;   ///< micros of the last login, for latency
  client_core::reply_queue<expect> fifo_; ///< awaited answers, in order
  client_core::ack_book acks_{true}; ///< ids to ack, and what became of acks
  client_core::outbox outbox_;       ///< sends not answered; client id = n
  std::vector<std::string> plan_;    ///< target of send n at n - 1
  std::size_t next_ = 0;             ///< index of the next new send
  std::vector<setup_cmd> setup_;     ///< group setup, for group creators
  std::string scratch_;              ///< for unescaping
};

} // namespace kurir::sim
