#include "actors/session/session_actor.hpp"

#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "net/encode.hpp"
#include "net/frame.hpp"

namespace kurir {

// -- input --------------------------------------------------------------------

session_state::session_state(caf::event_based_actor* owner)
    : self(owner), flow(flow_control::limits{}) {}

void session_state::on_inbound(std::vector<inbound> ins) {
  if (input.stopping)
    return;
  idle.last_activity = self->clock().now();
  idle.pinged = false;
  counts.frames_in += ins.size();
  for (auto& in : ins)
    input.queue.push_back(std::move(in));
  pump();
}

bool session_state::waits_for_writes(const inbound& in) const {
  using k = net::command_kind;
  if (input.pending_writes == 0 || in.error != errc::none)
    return false;
  switch (in.cmd.kind) {
    case k::history:
    case k::groups:
    case k::members: return true;
    default: return false;
  }
}

void session_state::write_done(std::size_t n) {
  input.pending_writes -= static_cast<int>(n);
  if (input.pending_writes == 0)
    pump();
}

bool session_state::joins_sends(const inbound& in) {
  // Acks may pass queued sends: the writer applies a batch's cursor moves
  // before its appends anyway. Anything else that reaches the writer (or
  // depends on it) must not overtake a send, so the sends go first.
  using k = net::command_kind;
  if (in.error != errc::none)
    return false;
  auto kind = in.cmd.kind;
  return kind == k::send || kind == k::ack || kind == k::ping
         || kind == k::pong;
}

void session_state::pump() {
  auto& q = input.queue;
  while (!input.busy && !q.empty() && !waits_for_writes(q.front())) {
    auto in = std::move(q.front());
    q.pop_front();
    if (!joins_sends(in))
      flush_sends();
    dispatch(in);
  }
  flush_sends();
  maybe_close();
}

void session_state::dispatch(inbound& in) {
  using k = net::command_kind;
  auto s = replies.reserve();
  if (in.error != errc::none) {
    reply_error(s, in.error, in.detail, "frame");
    if (closes_connection(in.error))
      on_shutdown(); // close once every earlier reply is out
    return;
  }
  auto& cmd = in.cmd;
  switch (cmd.kind) {
    case k::ping: return reply(s, net::encode_pong(cmd.token));
    case k::pong: return reply(s, {}); // the activity is what counts
    case k::hello: return do_hello(s, cmd);
    case k::register_user: return do_register(s, cmd);
    case k::login: return do_login(s, cmd);
    default: break;
  }
  if (user.empty()) {
    reply_error(s, errc::not_authenticated, "", net::to_string(cmd.kind));
    if (++input.errors_before_login >= svc.settings.max_errors_before_login)
      close_with(errc::too_many_errors, "");
    return;
  }
  dispatch_user(s, cmd);
}

void session_state::dispatch_user(reply_queue::slot s, net::command& cmd) {
  using k = net::command_kind;
  switch (cmd.kind) {
    case k::logout: return do_logout(s, cmd);
    case k::send: return do_send(s, cmd);
    case k::ack: return do_ack(s, cmd);
    case k::history: return do_history(s, cmd);
    case k::who: return do_who(s);
    case k::groups: return do_groups(s);
    case k::members: return do_members(s, cmd);
    case k::create:
    case k::add:
    case k::remove:
    case k::leave: return do_change(s, cmd);
    default: return reply_error(s, errc::internal_error, "", "dispatch");
  }
}

// -- output -------------------------------------------------------------------

void session_state::reply(reply_queue::slot s, std::string frames) {
  replies.fill(s, std::move(frames));
  flush_replies();
}

void session_state::flush_replies() {
  std::string bytes; // every reply now in order, in one write
  for (auto& out : replies.take_ready())
    if (!out.empty()) {
      counts.frames_out += net::count_frames(out);
      bytes += out;
      bytes += '\n';
    }
  if (!bytes.empty())
    self->send(conn, outbound{std::move(bytes), {}});
  maybe_close();
}

void session_state::write(std::string frame) {
  ++counts.frames_out;
  frame += '\n';
  self->send(conn, outbound{std::move(frame), {}});
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
  counts.count_error(code);
  reply(s, net::encode_error(code, detail, proto.version));
}

void session_state::reply_failure(reply_queue::slot s, const caf::error& err,
                                  std::string_view what) {
  auto f = to_failure(err);
  reply_error(s, f.code, f.detail, what);
}

void session_state::unblock() {
  input.busy = false;
  pump();
}

// -- lifetime -----------------------------------------------------------------

void session_state::on_shutdown() {
  input.stopping = true;
  input.queue.clear();
  maybe_close();
}

void session_state::maybe_close() {
  if (input.stopping && !input.busy && replies.empty())
    self->send(conn, caf::close_atom_v);
}

void session_state::close_with(errc code, std::string detail) {
  if (input.stopping)
    return;
  reply_error(replies.reserve(), code, detail, "connection");
  on_shutdown();
}

void session_state::on_login_deadline() {
  if (user.empty() && !input.busy)
    close_with(errc::login_timeout, "");
}

void session_state::on_tick() {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  const auto& cfg = svc.settings;
  auto silence
    = duration_cast<milliseconds>(self->clock().now() - idle.last_activity);
  if (silence >= cfg.idle_close)
    return close_with(errc::idle_timeout, "");
  if (silence >= cfg.idle_ping && !idle.pinged) {
    idle.pinged = true;
    write(net::encode_ping("kurird"));
  }
  auto next = (idle.pinged ? cfg.idle_close : cfg.idle_ping) - silence;
  self->delayed_send(self, next, caf::tick_atom_v);
}

void session_state::on_closed() {
  auto who = user.empty() ? std::string{} : " user " + user;
  log("disconnect " + peer + who);
  counts.redeliveries += flow.window().in_flight(); // they come again
  if (svc.metrics) // the final counters: this session is asked no more
    self->send(svc.metrics, caf::leave_atom_v, counts);
  self->quit();
}

metrics::session_report session_state::report() const {
  return {counts, flow.window().in_flight()};
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
  const auto& cfg = st.svc.settings;
  st.flow
    = flow_control{{cfg.max_inflight, cfg.max_outbound, cfg.pending_page}};
  self->monitor(st.conn);
  self->set_down_handler(
    [=](const caf::down_msg&) { self->state.on_closed(); });
  st.log("connect " + st.peer);
  if (st.svc.metrics)
    self->send(st.svc.metrics, caf::join_atom_v);
  st.idle.last_activity = self->clock().now();
  self->delayed_send(self, st.svc.settings.login_deadline, caf::timeout_atom_v);
  self->delayed_send(self, st.svc.settings.idle_ping, caf::tick_atom_v);
  return {
    [=](inbound& in) {
      std::vector<inbound> ins;
      ins.push_back(std::move(in));
      self->state.on_inbound(std::move(ins));
    },
    [=](std::vector<inbound>& ins) { self->state.on_inbound(std::move(ins)); },
    [=](deliver_atom, persistence::message_list& msgs) {
      // The registry's list is this session's alone: moved, not copied.
      self->state.on_deliver(
        std::make_shared<const persistence::message_list>(std::move(msgs)));
    },
    [=](deliver_atom, const shared_deliveries& d) {
      self->state.on_deliver(d.list); // a group's list, shared
    },
    [=](presence_atom, const std::string& who, bool online) {
      self->state.on_presence(who, online);
    },
    [=](group_event_atom, const persistence::membership_change& c) {
      self->state.on_group_event(c);
    },
    [=](written_atom, uint64_t count) { self->state.on_written(count); },
    [=](shutdown_atom) { self->state.on_shutdown(); },
    [=](caf::close_atom) { self->state.on_closed(); },
    [=](caf::timeout_atom) { self->state.on_login_deadline(); },
    [=](caf::tick_atom) { self->state.on_tick(); },
    [=](metrics_atom) { return self->state.report(); },
    [=](retry_atom) { self->state.on_read_retry(); },
  };
}

} // namespace kurir
