// The writer when the database is busy: a commit that finds it locked by
// another process is kept and tried again on CAF's clock (busy_retry), and
// everything that arrives meanwhile queues behind it. The writer's SQLite
// handle has no busy timeout of its own, so its thread never waits inside
// SQLite.

#include <caf/typed_event_based_actor.hpp>

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "actors/writer/writer_actor.hpp"

namespace kurir {

void writer_state::commit_held() {
  auto before = self->clock().now();
  auto res = db->commit(held.batch);
  auto at = self->clock().now();
  auto count = std::to_string(held.batch.appends.size());
  if (!res && res.error().code == errc::server_busy) {
    auto first = !retry.waiting();
    if (auto delay = retry.busy(at)) {
      if (first)
        self->send(log, log_atom_v,
                   "busy database: the commit of " + count
                     + " messages waits for it");
      if (!retry_scheduled) {
        retry_scheduled = true;
        self->delayed_send(self, *delay, retry_atom_v);
      }
      return;
    }
    res
      = failure{errc::server_busy, "the database stayed locked for "
                                     + std::to_string(retry.waited(at).count())
                                     + " ms: " + res.error().detail};
  } else if (retry.waiting()) {
    retry.done();
    self->send(log, log_atom_v,
               "busy database: after "
                 + std::to_string(retry.waited(at).count())
                 + " ms the commit of " + count + " messages "
                 + (res ? "went through" : "failed"));
  }
  observe_commit(held.batch.appends.size(), at - before,
                 static_cast<bool>(res));
  settle_held(res);
}

void writer_state::settle_held(
  outcome<std::vector<outcome<persistence::stored_message>>>& res) {
  auto waiting = std::move(held.waiting);
  auto batch = std::move(held.batch);
  held = held_batch{};
  if (!res) {
    // The cursor moves wait for the next commit (a later move may overtake).
    for (auto& c : batch.cursors)
      keep_cursor({c.member, c.conv}, c.seq);
    return fail(waiting, res.error());
  }
  on_committed(waiting, *res);
}

void writer_state::on_retry() {
  retry_scheduled = false;
  if (!retry.waiting())
    return;
  commit_held();
  if (retry.waiting())
    return;
  commit(); // what queued behind the held batch, in order
  // A drain waits for one busy commit, not for every one after it: its own
  // batch has now been tried, as it would have been without the wait.
  answer_drains();
}

caf::typed_response_promise<caf::ok_atom> writer_state::drain() {
  commit();
  auto promise = self->make_response_promise<caf::ok_atom>();
  drains.push_back(promise);
  if (!retry.waiting())
    answer_drains();
  return promise;
}

void writer_state::answer_drains() {
  if (drains.empty())
    return;
  log_stats();
  for (auto& promise : drains)
    promise.deliver(caf::ok_atom_v);
  drains.clear();
}

} // namespace kurir
