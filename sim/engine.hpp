#pragma once

// The single-threaded epoll loop that runs every client, the kurird child
// and the faults. Every wait is an epoll timeout; nothing sleeps.

#include <deque>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "sim/child.hpp"
#include "sim/client.hpp"
#include "sim/context.hpp"

namespace kurir::sim {

/// Runs clients against a broker, injecting faults.
class engine : public host {
public:
  /// Prepares an engine for `opt`; nothing starts yet.
  engine(const options& opt, audit& log, counters& count, uint64_t seed);
  ~engine() override;
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  /// Starts the own kurird child (port 0) or resolves the broker's address;
  /// false and `err` on failure.
  bool start(std::string& err);
  /// Adds a client named `name`.
  client& add_client(std::string name);
  /// Returns the clients, in the order they were added.
  std::vector<std::unique_ptr<client>>& clients() { return clients_; }
  /// Returns the shared context.
  context& ctx() { return ctx_; }
  /// Returns the child, or nullptr for an external broker.
  child_process* child() { return child_.get(); }

  /// Runs the loop until `done(now)` holds (checked every few ms) or
  /// `deadline` passes; `phase` names it in the progress line. Returns
  /// whether `done` held.
  bool run_until(const std::function<bool(time_point)>& done,
                 time_point deadline, const char* phase);
  /// Turns fault injection (kills, drops, stalls, churn) on or off.
  void set_faults(bool on, bool churn);
  /// Stops the child with SIGTERM; returns its exit status (-1: none).
  int finish();

  // -- host -------------------------------------------------------------------
  void wake(uint32_t index, time_point when) override;
  void admit(uint32_t index) override;
  void handshake_over(uint32_t index) override;
  void watch(uint32_t index, int fd, uint32_t events, bool added) override;

private:
  /// A wake-up for a client: when, and which.
  using timer = std::pair<time_point, uint32_t>;

  /// Whether clients may connect now (the child listens, or no child).
  bool broker_up() const { return !child_ || child_->up(); }
  /// One epoll_wait (at most a few ms), its events, then due timers.
  void poll_once(time_point deadline);
  /// The child wrote something or exited.
  void on_child(time_point now);
  /// SIGKILLs the child, tells the clients, and restarts it.
  void kill_child(time_point now);
  /// Starts a new child on `port` (0: any free port).
  void restart_child(time_point now, uint16_t port);
  /// Kills, drops, stalls and churns whatever is due.
  void inject_faults(time_point now);
  /// Returns when the next fault of a kind happening `every` s is due.
  time_point next_fault(time_point now, double every);
  /// Applies `act` to random clients until one accepts (a few tries).
  client* random_client(const std::function<bool(client&)>& act);
  /// Connects queued clients while fewer than --parallel handshake.
  void admit_waiting(time_point now);
  /// Calls `on_timer` of every client whose wake-up is due.
  void fire_timers(time_point now);
  /// Redraws the progress line on stderr (if enabled, 4 times a second).
  void progress(time_point now, const char* phase);

  const options& opt_;
  std::mt19937_64 rng_; ///< every random choice of the run
  context ctx_;
  int epoll_ = -1;
  std::unique_ptr<child_process> child_; ///< none for an external broker
  time_point restart_deadline_{}; ///< a restarting child must listen by then
  std::vector<std::unique_ptr<client>> clients_;
  std::priority_queue<timer, std::vector<timer>, std::greater<timer>> timers_;
  std::vector<time_point> next_wake_; ///< per client: earliest pending wake
  std::deque<uint32_t> waiting_;      ///< clients queued to connect
  std::vector<bool> queued_;          ///< per client: in `waiting_`
  int in_handshake_ = 0;              ///< admitted, not yet logged in
  bool faults_ = false;               ///< kills, drops and stalls on
  bool churn_ = false;                ///< churn events on
  time_point next_kill_{}, next_drop_{}, next_stall_{}, next_churn_{};
  time_point next_overdue_check_{}, next_progress_{};
};

} // namespace kurir::sim
