// The session's deliveries: reading what waits, the window, and cursors.

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "actors/session/session_actor.hpp"
#include "net/encode.hpp"

namespace kurir {

void session_state::start_read(bool initial) {
  flow.begin_read();
  box.begin_backlog();
  // Commit the cursor moves still batched at the writer (this session's
  // went there before this request), so the read does not repeat what was
  // already delivered.
  if (!initial) // a catch-up starts past what it sent; the cursor may lag
    return fetch_page(false);
  auto my_epoch = epoch;
  auto go = [=] {
    if (epoch == my_epoch)
      fetch_page(initial);
  };
  self->request(svc.writer, caf::infinite, drain_atom_v)
    .then([=](caf::ok_atom) { go(); }, [=](caf::error&) { go(); });
}

void session_state::fetch_page(bool initial) {
  auto page = flow.page_rows();
  auto from = flow.read_position();
  auto my_epoch = epoch;
  self
    ->request(svc.spool, caf::infinite, backlog_atom_v, user, from.conv,
              from.seq, static_cast<uint64_t>(page))
    .then(
      [=](std::vector<persistence::stored_message>& msgs) {
        if (epoch != my_epoch)
          return;
        auto n = msgs.size();
        auto last
          = n > 0 ? persistence::backlog_key{msgs.back().conv, msgs.back().seq}
                  : persistence::backlog_key{};
        offer(std::move(msgs), true);
        if (flow.page_read(n, page, last.conv, last.seq))
          return fetch_page(initial);
        end_read(initial);
      },
      [=](caf::error& err) {
        if (epoch != my_epoch)
          return;
        log("error backlog read failed for " + user + ": "
            + to_failure(err).detail);
        flow.read_failed(); // read again after a pause (end_read)
        end_read(initial, true);
      });
}

void session_state::end_read(bool initial, bool failed) {
  flow.end_read();
  auto kept = box.end_backlog();
  if (!flow.behind())
    offer(kept);
  else
    for (auto& m : kept) // they are in the database: read them later
      note_unsent(m);
  if (initial)
    unblock();
  // Behind with room: acks that came during the read could not start one,
  // and with nothing in flight no ack will come; read again now (after a
  // pause if the read failed, so a broken database is not asked in a loop).
  if (!flow.ready_to_read())
    return;
  if (failed)
    self->delayed_send(self, read_retry, retry_atom_v);
  else
    start_read(false);
}

void session_state::on_read_retry() {
  if (!user.empty() && flow.ready_to_read())
    start_read(false);
}

std::size_t session_state::offer(const persistence::message_list& msgs,
                                 bool stored, std::size_t from, bool may_hold) {
  outbound out; // every delivery of this offer, in one write
  out.bytes.reserve(frames_size(msgs, from)); // grown once, not copied
  auto stop = msgs.size();
  for (auto i = from; i < msgs.size(); ++i) {
    auto& m = msgs[i];
    if (m.from == user || !box.fresh(m))
      continue;
    if (!flow.can_send()) {
      if (may_hold) {
        stop = i; // the socket or the window is full: the caller holds
        break;
      }
      // Held live deliveries come in arrival order, not in backlog order:
      // every message not sent must be able to lower the resume point.
      flow.fell_behind();
      for (; i < msgs.size(); ++i)
        if (msgs[i].from != user)
          note_unsent(msgs[i]);
      break;
    }
    box.mark(m);
    flow.window().sent(user, m.id, m.conv, m.seq);
    add_delivery(m, out);
  }
  auto n = out.deliveries.size();
  (stored ? counts.deliveries_stored : counts.deliveries_live) += n;
  counts.frames_out += n;
  if (!out.bytes.empty())
    self->send(conn, std::move(out));
  return stop;
}

void session_state::offer_live(held_lists::list_ptr list, std::size_t from) {
  auto at = offer(*list, false, from, true);
  if (at < list->size())
    hold(std::move(list), at);
}

void session_state::hold(held_lists::list_ptr list, std::size_t from) {
  held.push_back(std::move(list), from);
  auto windows = svc.settings.hold_windows;
  if (held.messages() > windows * flow.window().capacity()
      || held.bytes() > windows * svc.settings.max_outbound)
    drop_held(); // a reader this slow reads from the database later
}

void session_state::release_held() {
  while (!held.empty() && !flow.behind() && !flow.window().full()
         && flow.unwritten_bytes() <= flow.resume_bytes()) {
    auto p = held.take();
    auto at = offer(*p.list, false, p.from, true);
    if (at < p.list->size()) {
      held.push_front(std::move(p.list), at);
      return;
    }
  }
  if (flow.behind() && !held.empty())
    drop_held(); // fell behind meanwhile: the rest comes from the database
}

void session_state::drop_held() {
  flow.fell_behind();
  held.drop([this](const persistence::stored_message& m) {
    if (m.from != user)
      note_unsent(m);
  });
}

void session_state::add_delivery(const persistence::stored_message& m,
                                 outbound& out) {
  net::delivery_fields d{m.id, m.seq, m.ts_ms, m.from, m.to, m.body};
  auto before = out.bytes.size();
  net::append_delivery(d, out.bytes);
  out.bytes += '\n';
  auto size = out.bytes.size() - before;
  out.deliveries.push_back(out.bytes.size());
  flow.sent(size);
}

std::size_t session_state::frames_size(const persistence::message_list& msgs,
                                       std::size_t from) {
  // Frame syntax and three numbers take at most 80 bytes; escapes are rare.
  std::size_t n = 0;
  for (auto i = from; i < msgs.size(); ++i)
    n += msgs[i].from.size() + msgs[i].to.size() + msgs[i].body.size() + 80;
  return n;
}

void session_state::on_deliver(held_lists::list_ptr list) {
  if (user.empty() || !list)
    return;
  if (!held.empty())
    return hold(std::move(list), 0); // behind what is held, in order
  if (!flow.behind() && !box.draining())
    return offer_live(std::move(list), 0); // the common case: no copy
  for (const auto& m : *list) {
    if (m.from == user) // a group's fan-out includes the sender's sessions
      continue;
    if (!flow.behind() && box.held() >= flow.hold_limit())
      flow.held_too_many(); // memory per session stays bounded
    if (flow.behind())
      note_unsent(m); // in the database: read from there later
    else
      box.live(m); // held until the read is done
  }
}

void session_state::note_unsent(const persistence::stored_message& m) {
  if (box.fresh(m))
    flow.unsent(m.conv, m.seq);
}

void session_state::on_written(uint64_t count) {
  flow.written(static_cast<std::size_t>(count));
  // A seed client cannot acknowledge: a delivery counts as delivered once
  // it is written to the socket (docs/PROTOCOL.md, "Delivery").
  delivered(proto.acks ? std::vector<persistence::cursor_update>{}
                       : flow.window().ack_oldest(count));
}

void session_state::delivered(
  const std::vector<persistence::cursor_update>& moves) {
  if (!moves.empty()) // one message for all: the writer is one thread
    self->send(svc.writer, advance_atom_v, moves);
  release_held(); // room in the window or the socket: what is held first
  if (!user.empty() && flow.ready_to_read())
    start_read(false);
}

} // namespace kurir
