#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>

#include "proto/metrics.hpp"

namespace kurir::metrics {

/// Everything one scrape gathered, ready to render.
struct view {
  std::optional<listener_report> listener;
  std::optional<writer_report> writer;
  std::optional<auth_report> auth;
  session_counters sessions; ///< every session's, ended ones included
  histogram unacked;         ///< live sessions by deliveries in flight
  uint64_t live_sessions = 0;
  uint64_t missing = 0; ///< reports that did not come before the deadline
};

/// The metrics actor's bookkeeping, without actors: which sessions live,
/// what ended sessions counted, and the scrapes under way.
///
/// Session counters must only grow from one scrape to the next. A session
/// that answered a scrape and then ended has its final counters in the
/// retired totals, so `retire` drops its answer from every scrape under way
/// (its answer was a smaller prefix of what is now retired).
class gathering {
public:
  /// Identifies a session (CAF's actor id).
  using session_id = uint64_t;
  /// Identifies a scrape under way.
  using scrape_id = uint64_t;

  /// A session started.
  void join(session_id id);
  /// A session ended with `final_counters`; it is no longer asked.
  void retire(session_id id, const session_counters& final_counters);
  /// A session vanished without its final counters (it crashed).
  void forget(session_id id);
  /// Returns the sessions to ask.
  const std::set<session_id>& live() const { return live_; }

  /// Starts a scrape that waits for `expected` answers.
  scrape_id start(std::size_t expected);
  /// Records a session's answer.
  void answer(scrape_id s, session_id id, const session_report& r);
  /// Records the listener's answer.
  void answer(scrape_id s, const listener_report& r);
  /// Records the writer's answer.
  void answer(scrape_id s, const writer_report& r);
  /// Records the authentication front's answer.
  void answer(scrape_id s, const auth_report& r);
  /// An answer did not come (deadline, or the actor is gone).
  void no_answer(scrape_id s);
  /// Session `id` did not answer: missing unless it ended meanwhile (then
  /// its final counters are in the retired totals).
  void no_answer(scrape_id s, session_id id);
  /// Returns whether every answer of `s` is in.
  bool complete(scrape_id s) const;
  /// Ends scrape `s` and returns what it gathered.
  view finish(scrape_id s);

  /// How many scrapes are under way.
  std::size_t scrapes() const { return scrapes_.size(); }

private:
  struct scrape {
    std::size_t outstanding = 0;
    view partial; ///< everything but the sessions
    std::map<session_id, session_report> sessions;
  };

  /// Counts one answer of `s` (if it is still under way).
  scrape* arrived(scrape_id s);

  std::set<session_id> live_;
  session_counters retired_;
  std::map<scrape_id, scrape> scrapes_;
  scrape_id next_ = 1;
};

/// Bounds of the unacknowledged-deliveries histogram.
std::vector<double> unacked_bounds();

} // namespace kurir::metrics
