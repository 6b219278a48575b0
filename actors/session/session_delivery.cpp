// The session's deliveries: reading what waits, the window, and cursors.

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "actors/session/session_actor.hpp"
#include "net/encode.hpp"

namespace kurir {

void session_state::start_read(bool initial) {
  reading = true;
  behind = false;
  backlog_after = 0;
  box.begin_backlog();
  // Commit the cursor moves still batched at the writer (this session's
  // went there before this request), so the read does not repeat what was
  // already delivered.
  auto my_epoch = epoch;
  auto go = [=] {
    if (epoch == my_epoch)
      fetch_page(initial);
  };
  self->request(svc.writer, caf::infinite, drain_atom_v)
    .then([=](caf::ok_atom) { go(); }, [=](caf::error&) { go(); });
}

void session_state::fetch_page(bool initial) {
  auto page = svc.settings.pending_page;
  auto my_epoch = epoch;
  self
    ->request(svc.spool, caf::infinite, caf::pending_atom_v, user,
              backlog_after, static_cast<uint64_t>(page))
    .then(
      [=](std::vector<persistence::stored_message>& msgs) {
        if (epoch != my_epoch)
          return;
        auto n = msgs.size();
        if (n > 0)
          backlog_after = msgs.back().id;
        offer(std::move(msgs));
        if (n == page && !behind)
          return fetch_page(initial);
        end_read(initial);
      },
      [=](caf::error& err) {
        if (epoch != my_epoch)
          return;
        log("error backlog read failed for " + user + ": "
            + to_failure(err).detail);
        behind = true; // what is stored stays; read again on the next ack
        end_read(initial);
      });
}

void session_state::end_read(bool initial) {
  reading = false;
  auto held = box.end_backlog();
  if (!behind)
    offer(std::move(held)); // else they are in the database: read later
  if (initial)
    unblock();
}

void session_state::offer(std::vector<persistence::stored_message> msgs) {
  for (auto& m : msgs) {
    if (!box.fresh(m))
      continue;
    if (window.full()) {
      behind = true;
      return;
    }
    box.mark(m);
    window.sent(user, m.id, m.conv, m.seq);
    net::delivery_fields d{m.id, m.seq, m.ts_ms, m.from, m.to, m.body};
    self->send(conn, outbound{net::encode_delivery(d), m.conv, m.seq});
  }
}

void session_state::on_deliver(persistence::stored_message msg) {
  if (user.empty() || behind)
    return; // behind: it is in the database and will be read from there
  offer(box.live(std::move(msg)));
}

void session_state::on_written(uint64_t count) {
  // A seed client cannot acknowledge: a delivery counts as delivered once
  // it is written to the socket (docs/PROTOCOL.md, "Delivery").
  if (!ack_mode)
    delivered(window.ack_oldest(count));
}

void session_state::delivered(
  const std::vector<persistence::cursor_update>& moves) {
  for (const auto& m : moves)
    self->send(svc.writer, advance_atom_v, m);
  if (behind && !reading && !user.empty()
      && window.in_flight() <= window.capacity() / 2)
    start_read(false);
}

} // namespace kurir
