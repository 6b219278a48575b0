#pragma once

#include <chrono>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/auth/auth_handle.hpp"
#include "actors/metrics/gathering.hpp"
#include "actors/metrics/metrics_handle.hpp"
#include "actors/writer/writer_handle.hpp"
#include "proto/limits.hpp"

namespace kurir {

/// State of the metrics actor: the owners of the counters to ask and the
/// bookkeeping of sessions and scrapes (`metrics::gathering`).
struct metrics_state {
  static inline const char* name = "metrics";

  /// Binds the state to its actor.
  explicit metrics_state(metrics_handle::pointer owner) : self(owner) {}

  metrics_handle::pointer self;
  writer_handle writer;
  auth_handle hasher;
  caf::actor listener;
  metrics::gathering book;
  /// The live sessions (weak: the metrics actor keeps none alive).
  std::unordered_map<caf::actor_id, caf::actor_addr> sessions;
  /// How long a scrape waits for each answer before rendering without it.
  std::chrono::milliseconds deadline{limits::metrics_gather_deadline_ms};

  /// Asks every owner for its counters and answers the page once all have
  /// answered or the deadline passed.
  caf::typed_response_promise<std::string> scrape();

  /// A session started or ended (monitored: a crash ends it too).
  void join(const caf::actor& session);
  void leave(caf::actor_id id, const metrics::session_counters& final_counters);
  /// A session ended without its final counters.
  void forget(caf::actor_id id);

private:
  /// Answers scrape `s` once it is complete.
  void maybe_done(metrics::gathering::scrape_id s,
                  caf::typed_response_promise<std::string>& rp);
  /// Sends `(metrics_atom)` to `dest`, recording its answer in `s`.
  template<class Report, class Handle>
  void ask(const Handle& dest, metrics::gathering::scrape_id s,
           caf::typed_response_promise<std::string> rp);
};

/// The metrics actor, gathering from `writer`, `hasher`, the listener (sent
/// with `add_atom`) and every session that joins.
metrics_handle::behavior_type
metrics_actor(metrics_handle::stateful_pointer<metrics_state> self,
              writer_handle writer, auth_handle hasher);

} // namespace kurir
