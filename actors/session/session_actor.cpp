#include "actors/session/session_actor.hpp"

#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "net/encode.hpp"

namespace kurir {

// -- input --------------------------------------------------------------------

void session_state::on_inbound(inbound in) {
  if (stopping)
    return;
  input.push_back(std::move(in));
  pump();
}

void session_state::pump() {
  while (!busy && !input.empty()) {
    auto in = std::move(input.front());
    input.pop_front();
    dispatch(in);
  }
  maybe_close();
}

void session_state::dispatch(inbound& in) {
  auto s = replies.reserve();
  if (in.error != errc::none) {
    reply_error(s, in.error, in.detail, "frame");
    return;
  }
  auto& cmd = in.cmd;
  switch (cmd.kind) {
    case net::command_kind::ping: reply(s, net::encode_pong(cmd.token)); break;
    case net::command_kind::register_user: do_register(s, cmd); break;
    case net::command_kind::login: do_login(s, cmd); break;
    case net::command_kind::logout: do_logout(s, cmd); break;
    case net::command_kind::send: do_send(s, cmd); break;
  }
}

// -- output -------------------------------------------------------------------

void session_state::reply(reply_queue::slot s, std::string frame) {
  replies.fill(s, std::move(frame));
  for (auto& out : replies.take_ready())
    self->send(conn, outbound{std::move(out), 0, 0});
  maybe_close();
}

void session_state::reply_error(reply_queue::slot s, errc code,
                                std::string_view detail,
                                std::string_view what) {
  std::string text = "error ";
  text += to_wire(code);
  text += " on ";
  text += what;
  text += " from ";
  text += peer;
  if (!user.empty())
    text += " user " + user;
  if (!detail.empty())
    text += ": " + std::string{detail};
  log(std::move(text));
  reply(s, net::encode_error(code, detail));
}

void session_state::unblock() {
  busy = false;
  pump();
}

void session_state::emit(std::vector<persistence::stored_message> msgs) {
  for (auto& m : msgs) {
    net::delivery_fields d{m.id, m.seq, m.ts_ms, m.from, m.to, m.body};
    self->send(conn, outbound{net::encode_delivery(d), m.conv, m.seq});
    unconfirmed.push_back({user, m.conv, m.seq});
  }
}

void session_state::on_written(uint64_t count) {
  // The seed's protocol cannot acknowledge: a delivery counts as delivered
  // once it is written to the socket (docs/PROTOCOL.md, "Delivery").
  for (; count > 0 && !unconfirmed.empty(); --count) {
    auto& d = unconfirmed.front();
    self->send(svc.writer, advance_atom_v,
               persistence::cursor_update{d.user, d.conv, d.seq});
    unconfirmed.pop_front();
  }
}

// -- backlog ------------------------------------------------------------------

void session_state::start_backlog() {
  // Commit the cursor moves still batched at the writer (this session's
  // went there before this request), so the backlog does not repeat what
  // was already written to a socket.
  auto done = [=] { fetch_backlog(); };
  self->request(svc.writer, caf::infinite, drain_atom_v)
      .then([=](caf::ok_atom) { done(); }, [=](caf::error&) { done(); });
}

void session_state::fetch_backlog() {
  auto page = svc.settings.pending_page;
  auto my_epoch = epoch;
  self->request(svc.spool, caf::infinite, caf::pending_atom_v, user,
                backlog_after, static_cast<uint64_t>(page))
      .then(
          [=](std::vector<persistence::stored_message>& msgs) {
            if (epoch != my_epoch)
              return;
            auto n = msgs.size();
            if (n > 0)
              backlog_after = msgs.back().id;
            emit(box.backlog(std::move(msgs)));
            if (n == page)
              return fetch_backlog();
            emit(box.end_backlog());
            unblock();
          },
          [=](caf::error& err) {
            if (epoch != my_epoch)
              return;
            auto f = to_failure(err);
            log("error backlog read failed for " + user + ": " + f.detail);
            emit(box.end_backlog()); // what is stored stays for the next login
            unblock();
          });
}

void session_state::on_deliver(persistence::stored_message msg) {
  if (user.empty())
    return;
  emit(box.live(std::move(msg)));
}

// -- lifetime -----------------------------------------------------------------

void session_state::on_shutdown() {
  stopping = true;
  input.clear();
  maybe_close();
}

void session_state::maybe_close() {
  if (stopping && !busy && replies.empty())
    self->send(conn, caf::close_atom_v);
}

void session_state::log(std::string text) {
  self->send(svc.log, log_atom_v, std::move(text));
}

caf::behavior session_actor(caf::stateful_actor<session_state>* self,
                            caf::actor conn, std::string peer, services svc) {
  auto& st = self->state;
  st.conn = std::move(conn);
  st.peer = std::move(peer);
  st.svc = std::move(svc);
  self->monitor(st.conn);
  self->set_down_handler([=](const caf::down_msg&) {
    auto& st = self->state;
    st.log("disconnect " + st.peer
           + (st.user.empty() ? "" : " user " + st.user));
    self->quit();
  });
  st.log("connect " + st.peer);
  return {
      [=](inbound& in) { self->state.on_inbound(std::move(in)); },
      [=](deliver_atom, persistence::stored_message& msg) {
        self->state.on_deliver(std::move(msg));
      },
      [=](written_atom, uint64_t count) { self->state.on_written(count); },
      [=](shutdown_atom) { self->state.on_shutdown(); },
  };
}

} // namespace kurir
