#pragma once

// What every simulated client shares: the options, the audit, the counters,
// the random generator, and the engine that runs them (`host`).

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <netinet/in.h>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "net/tls/tls.hpp"
#include "sim/audit.hpp"
#include "sim/options.hpp"

namespace kurir::sim {

/// The clock of every measurement and deadline.
using sim_clock = std::chrono::steady_clock;
/// A point in time on `sim_clock`.
using time_point = sim_clock::time_point;

/// Counters the clients and the engine add to.
struct counters {
  uint64_t sends = 0;     ///< sends written for the first time
  uint64_t resends = 0;   ///< sends written again after a reconnect
  uint64_t confirmed = 0; ///< `--ok--|send` replies (resends included)
  uint64_t rejected = 0;  ///< `--error--` replies to sends
  std::map<std::string, uint64_t> rejected_by_code; ///< error code -> count
  uint64_t deliveries = 0;                          ///< every `--msg--`
  uint64_t first_deliveries = 0; ///< the first of each (message, user)
  uint64_t redeliveries = 0;     ///< allowed repeats (not yet acknowledged)
  uint64_t acked = 0;            ///< ids acknowledged
  uint64_t connects = 0;         ///< connections established
  uint64_t connect_failures = 0; ///< connects refused or failed
  uint64_t logins = 0;           ///< `--ok--|login` replies
  uint64_t logouts = 0;          ///< `--ok--|logout` replies
  uint64_t refused = 0;        ///< handshakes refused for now (busy, try_later)
  uint64_t disconnects = 0;    ///< connections the broker ended
  uint64_t kills = 0;          ///< SIGKILLs of the child
  uint64_t drops = 0;          ///< abrupt client disconnects injected
  uint64_t stalls = 0;         ///< clients told to stop reading a while
  uint64_t churns = 0;         ///< churn events
  uint64_t reply_timeouts = 0; ///< answers that did not come in time
  uint64_t protocol_errors = 0;   ///< frames kurir-sim did not expect
  std::vector<std::string> notes; ///< the first few protocol errors
  std::vector<double> latency_ms; ///< send -> first delivery, online users
  uint64_t phase_confirmed = 0;   ///< confirmations in the send phase
  bool in_send_phase = false;     ///< whether `phase_confirmed` counts
  /// First deliveries from the start of the send phase on (for offline:
  /// until its end; the drain has its own figure).
  uint64_t phase_deliveries = 0;
  bool counting_deliveries = false; ///< whether `phase_deliveries` counts
  time_point last_delivery{};       ///< when the last of them came
};

/// The engine's side, as the clients see it.
class host {
public:
  virtual ~host() = default;
  /// Calls `client::on_timer` of client `index` at `when` (or soon after).
  virtual void wake(uint32_t index, time_point when) = 0;
  /// Queues client `index` to be connected when a slot is free.
  virtual void admit(uint32_t index) = 0;
  /// Client `index` finished (or abandoned) its handshake: frees its slot.
  virtual void handshake_over(uint32_t index) = 0;
  /// Sets the epoll interest of `fd` (0: remove) for client `index`.
  virtual void watch(uint32_t index, int fd, uint32_t events, bool added) = 0;
};

/// Shared by every client.
struct context {
  const options& opt;     ///< the command line
  audit& log;             ///< the audit
  counters& count;        ///< the counters
  std::mt19937_64& rng;   ///< the seeded random generator
  host* engine = nullptr; ///< the engine that runs the clients
  sockaddr_in addr{};     ///< the broker
  time_point start;       ///< when the run began
  bool sending = false;   ///< whether clients may start new sends
  std::string password = "sim-password"; ///< every user's password
  std::FILE* trace = nullptr; ///< --trace: every frame and event, or null
  /// TLS for every connection (verifying `opt.host`); null: plain TCP.
  std::shared_ptr<const net::tls_context> tls = nullptr;

  /// Writes one line to the --trace file: time, user, direction, text.
  void log_trace(const std::string& who, char dir, std::string_view text) {
    if (trace != nullptr)
      std::fprintf(trace, "%.6f %s %c %.*s\n",
                   static_cast<double>(micros(sim_clock::now())) / 1e6,
                   who.c_str(), dir, static_cast<int>(text.size()),
                   text.data());
  }

  /// Records a protocol error (kept for the report if among the first).
  void note(const std::string& who, const std::string& what) {
    ++count.protocol_errors;
    if (count.notes.size() < 10)
      count.notes.push_back(who + ": " + what);
  }
  /// Microseconds since `start`.
  int64_t micros(time_point t) const {
    return std::chrono::duration_cast<std::chrono::microseconds>(t - start)
      .count();
  }
};

} // namespace kurir::sim
