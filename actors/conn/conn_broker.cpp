#include "actors/conn/conn_broker.hpp"

#include <caf/actor_system.hpp>
#include <caf/io/system_messages.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/messages.hpp"
#include "actors/tls/tls_worker.hpp"
#include "net/command.hpp"
#include "net/encode.hpp"
#include "proto/limits.hpp"

namespace kurir::net {

namespace {

constexpr std::size_t read_chunk = limits::read_chunk;

/// Capacity of CAF's (empty) write buffer kept for the next write. CAF's two
/// write buffers per connection keep the capacity of their largest write
/// for ever: without this, every connection that once had a slow reader
/// holds two buffers of that size.
constexpr std::size_t keep_write_buffer = 16384;

/// Returns whether a frame counts against the message rate: everything but
/// acknowledgements and pings, which a busy acking client sends a lot of.
bool counts_for_rate(const parse_result& p) {
  using k = command_kind;
  if (p.error != errc::none)
    return true;
  return p.cmd.kind != k::ack && p.cmd.kind != k::ping && p.cmd.kind != k::pong;
}

} // namespace

bool conn_state::on_bytes(caf::io::broker* self, const std::vector<char>& buf) {
  std::string_view wire{buf.data(), buf.size()};
  if (!tls)
    return on_plain(self, wire);
  if (stopping)
    return true;
  tls_in.append(wire);
  if (!tls_done && tls_worker) {
    start_tls_job(self); // the handshake's work is done elsewhere
    return true;
  }
  if (tls_running)
    return true; // taken when the worker answers
  return feed_here(self);
}

tls_job conn_state::take_tls_job() {
  tls_job job{tls, std::move(tls_in)};
  tls_in.clear();
  return job;
}

bool conn_state::feed_here(caf::io::broker* self) {
  auto job = take_tls_job();
  auto step = run_tls_job(job);
  return on_tls_step(self, step);
}

void conn_state::start_tls_job(caf::io::broker* self) {
  if (tls_running || tls_in.empty())
    return;
  tls_running = true;
  self->request(tls_worker, caf::infinite, tls_atom_v, take_tls_job())
    .then(
      [this, self](tls_step& step) {
        tls_running = false;
        on_tls_step(self, step);
      },
      [this, self](caf::error&) {
        tls_running = false;
        tls_step step;
        step.ok = false;
        step.error = "the TLS worker is gone";
        on_tls_step(self, step);
      });
}

bool conn_state::on_tls_step(caf::io::broker* self, tls_step& step) {
  if (stopping)
    return false;
  send_wire(self, step.out); // handshake records, alerts
  if (!tls_done && step.established) {
    tls_done = true;
    self->send(log, log_atom_v, "tls " + peer + " " + step.description);
  }
  if (!step.ok || step.peer_closed) {
    // Not TLS, a failed handshake, renegotiation or close_notify: no
    // frame can be answered any more; the session logs and quits.
    if (!step.ok)
      self->send(log, log_atom_v,
                 "tls failed for " + peer + ": " + step.error + "; closing");
    stopping = true;
    self->send(session, caf::close_atom_v);
    return false;
  }
  if (!step.plain.empty() && !on_plain(self, step.plain))
    return false;
  while (!tls_running && !tls_out.empty()) {
    auto out = std::move(tls_out.front());
    tls_out.pop_front();
    on_outbound_msg(self, out);
  }
  if (!tls_done)
    start_tls_job(self);
  else if (!tls_in.empty()) // arrived while the worker had the stream
    return feed_here(self);
  return true;
}

bool conn_state::on_data(caf::io::broker* self, std::string_view chunk) {
  if (stopping)
    return true;
  if (bytes_read == 0 && (looks_like_http(chunk) || looks_like_tls(chunk))) {
    stopping = true;
    self->send(session,
               inbound{command{}, errc::not_kurir,
                       looks_like_http(chunk)
                         ? ""
                         : "this is a kurir broker's plain port, not TLS; "
                           "closing"});
    return false;
  }
  bytes_read += chunk.size();
  auto res = decode(decoder, chunk, max_frame);
  for (auto& raw : res.frames)
    held.push_back(parse_command(raw));
  if (res.error != errc::none) {
    // The frame outgrew the limit: read nothing more; the session answers
    // in command order and then closes (docs/PROTOCOL.md).
    stopping = true;
    parse_result p;
    p.error = res.error;
    p.detail = "frame exceeds " + std::to_string(max_frame) + " bytes";
    held.push_back(std::move(p));
  }
  forward(self);
  return res.error == errc::none;
}

bool conn_state::admit(caf::io::broker* self, const parse_result& p,
                       caf::actor_clock::time_point now) {
  if (!counts_for_rate(p) || !bucket.enabled())
    return true;
  auto wait = bucket.wait_for(1, now);
  if (wait.count() <= 0) {
    bucket.take(now);
    return true;
  }
  // Past the rate: frames wait here, in order, until it allows.
  paused = true;
  self->delayed_send(self, wait, caf::timeout_atom_v);
  if (!logged_pause) {
    logged_pause = true;
    self->send(log, log_atom_v,
               "limit message rate reached by " + peer + "; paused");
  }
  return false;
}

void conn_state::forward(caf::io::broker* self) {
  auto now = self->clock().now();
  // Every frame of a chunk goes to the session in one message: one mailbox
  // operation (and at most one wake-up) per read instead of per frame.
  std::vector<inbound> ready;
  while (!held.empty() && !paused && admit(self, held.front(), now)) {
    auto& p = held.front();
    ready.push_back(inbound{std::move(p.cmd), p.error, std::move(p.detail)});
    held.pop_front();
  }
  if (!ready.empty())
    self->send(session, std::move(ready));
  if (held.size() <= max_held)
    return;
  // Far past the rate: nothing more of this client is taken.
  held.clear();
  stopping = true;
  self->send(log, log_atom_v,
             "limit message rate far exceeded by " + peer + "; closing");
  self->send(session, inbound{command{}, errc::rate_limited, ""});
}

void conn_state::on_outbound_msg(caf::io::broker* self, const outbound& out) {
  if (tls_running) {
    tls_out.push_back(out); // the worker has the stream
    return;
  }
  if (on_outbound(self, out))
    return;
  // The client does not read: close; what was not delivered stays in
  // the database and comes again at the next login (GUARANTEES.md #20).
  closed = stopping = true;
  self->send(log, log_atom_v,
             "limit outbound buffer over " + std::to_string(max_outbound)
               + " bytes for " + peer + "; closing");
  self->close(hdl);
  self->send(session, caf::close_atom_v);
}

bool conn_state::on_outbound(caf::io::broker* self, const outbound& out) {
  if (closed)
    return true; // the session will hear of the close
  if (tls || web) {
    // A delivery counts as written once every TLS record or WebSocket
    // message carrying this write is. (Deliveries come only after a login,
    // so the handshake is done and `write` does not hold the bytes back.)
    write_out(self, web ? std::string_view{web->send(out.bytes)} : out.bytes);
    delivery_ends.insert(delivery_ends.end(), out.deliveries.size(),
                         bytes_queued);
  } else {
    for (auto end : out.deliveries)
      delivery_ends.push_back(bytes_queued + end);
    send_wire(self, out.bytes);
  }
  return bytes_queued - bytes_written <= max_outbound;
}

void conn_state::write_out(caf::io::broker* self, std::string_view bytes) {
  if (!tls) {
    send_wire(self, bytes);
    return;
  }
  if (bytes.empty())
    return;
  tls->write(bytes);
  send_wire(self, tls->take_output());
}

void conn_state::send_wire(caf::io::broker* self, std::string_view bytes) {
  if (bytes.empty() || closed)
    return;
  // The buffer CAF appends to is empty once it has been swapped in for
  // writing and back (`stream::prepare_next_write`): give its memory back.
  if (auto& buf = self->wr_buf(hdl);
      buf.empty() && buf.capacity() > keep_write_buffer)
    std::vector<char>{}.swap(buf);
  self->write(hdl, bytes.size(), bytes.data());
  bytes_queued += bytes.size();
  self->flush(hdl);
}

void conn_state::close_socket(caf::io::broker* self) {
  if (closed)
    return;
  if (!tls_running) { // else the worker has the stream: just close
    if (web)
      write_out(
        self,
        web->close(going_away ? ws_close::going_away : ws_close::normal, ""));
    if (tls) {
      tls->shutdown();
      send_wire(self, tls->take_output());
    }
  }
  closed = true;
  self->close(hdl);
}

uint64_t conn_state::on_transferred(uint64_t n) {
  bytes_written += n;
  uint64_t count = 0;
  while (!delivery_ends.empty() && delivery_ends.front() <= bytes_written) {
    delivery_ends.pop_front();
    ++count;
  }
  return count;
}

caf::behavior conn_actor(caf::io::stateful_broker<conn_state>* self,
                         caf::io::connection_handle hdl, services svc,
                         conn_transport how) {
  auto& st = self->state;
  st.hdl = hdl;
  if (how.tls) {
    st.tls = std::make_shared<tls_stream>(std::move(how.tls));
    st.tls_worker = std::move(how.worker);
  }
  st.max_frame = svc.settings.max_frame_before_login;
  st.max_outbound = svc.settings.max_outbound;
  st.bucket = token_bucket{svc.settings.max_rate, svc.settings.max_burst,
                           self->clock().now()};
  st.max_held = static_cast<std::size_t>(svc.settings.max_burst);
  st.log = svc.log;
  st.peer
    = self->remote_addr(hdl) + ":" + std::to_string(self->remote_port(hdl));
  st.svc = std::move(svc);
  if (how.web) {
    st.web = std::make_unique<web_stream>(
      std::move(how.origins), st.max_frame + limits::ws_message_slack);
    // The request (and a TLS handshake) must come within the login
    // deadline; the session's own starts at the upgrade.
    self->delayed_send(self, st.svc.settings.login_deadline, deadline_atom_v);
  } else {
    st.start_session(self);
  }
  self->set_down_handler([=](const caf::down_msg&) {
    self->state.close_socket(self);
    self->quit();
  });
  self->configure_read(hdl, caf::io::receive_policy::at_most(read_chunk));
  self->ack_writes(hdl, true);
  return {
    [=](const caf::io::new_data_msg& msg) {
      self->state.on_bytes(self, msg.buf);
    },
    [=](const caf::io::data_transferred_msg& msg) {
      if (auto n = self->state.on_transferred(msg.written); n > 0)
        self->send(self->state.session, written_atom_v, n);
    },
    [=](const caf::io::connection_closed_msg&) {
      // The session logs and quits; its down message ends this broker.
      self->state.stopping = self->state.closed = true;
      if (!self->state.session)
        self->quit(); // the web port before an upgrade
      self->send(self->state.session, caf::close_atom_v);
    },
    [=](outbound& out) { self->state.on_outbound_msg(self, out); },
    [=](frame_limit_atom, uint64_t max_frame) {
      self->state.max_frame = max_frame;
      if (self->state.web)
        self->state.web->set_max_message(max_frame + limits::ws_message_slack);
    },
    [=](caf::close_atom) {
      self->state.close_socket(self);
      self->quit();
    },
    [=](deadline_atom) { self->state.on_web_deadline(self); },
    [=](caf::timeout_atom) {
      self->state.paused = false;
      self->state.forward(self);
    },
    [=](shutdown_atom) {
      auto& s = self->state;
      s.stopping = s.going_away = true;
      if (s.session) {
        self->send(s.session, shutdown_atom_v);
        return;
      }
      s.close_socket(self); // the web port before an upgrade
      self->quit();
    },
  };
}

} // namespace kurir::net
