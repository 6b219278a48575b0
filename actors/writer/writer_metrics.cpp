// The writer's counters for the metrics actor.

#include <chrono>

#include "actors/writer/writer_actor.hpp"

namespace kurir {

void writer_state::observe_commit(std::size_t n, caf::timespan took, bool ok) {
  if (n > 0)
    batch_sizes.observe(static_cast<double>(n));
  commit_seconds.observe(std::chrono::duration<double>(took).count());
  if (!ok)
    ++commit_failures;
}

metrics::writer_report writer_state::report() const {
  auto s = db->stats();
  metrics::writer_report r;
  r.commits = s.commits;
  r.messages_stored = s.messages;
  r.wal_frames = s.wal_frames;
  r.checkpoints = s.checkpoints;
  r.commit_failures = commit_failures;
  r.batch_size = batch_sizes;
  r.commit_seconds = commit_seconds;
  r.deepest = db->deepest_queues(10);
  return r;
}

} // namespace kurir
