#include "actors/listener/listener.hpp"

#include <caf/io/system_messages.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/conn/conn_broker.hpp"
#include "actors/fwd.hpp"
#include "actors/messages.hpp"
#include "net/encode.hpp"

namespace kurir::net {

void listener_state::on_connection(caf::io::broker* self,
                                   caf::io::connection_handle hdl,
                                   caf::io::accept_handle source) {
  auto ip = self->remote_addr(hdl);
  auto i = acceptors.find(source);
  auto on_tls = i != acceptors.end() && i->second;
  if (!limits.admit(ip, self->clock().now())) {
    // Refused before any session exists: say why (on the TLS port with an
    // alert: a frame could only go in clear), then close.
    auto frame = on_tls ? std::string{refusal_alert()}
                        : encode_error(errc::too_many_connections) + "\n";
    self->write(hdl, frame.size(), frame.data());
    self->flush(hdl);
    self->close(hdl);
    ++counts.refused_per_address;
    self->send(svc.log, log_atom_v,
               "limit connections from " + ip + "; refused");
    return;
  }
  auto with_tls = on_tls ? tls : nullptr;
  ++(with_tls ? counts.accepted_tls : counts.accepted_plain);
  caf::actor worker; // TLS handshakes go round the workers
  if (with_tls && !svc.tls_workers.empty())
    worker = svc.tls_workers[next_tls++ % svc.tls_workers.size()];
  auto conn = self->fork(conn_actor, hdl, svc, with_tls, worker);
  self->monitor(conn);
  conns.emplace(conn, ip);
}

void listener_state::maybe_stopped(caf::io::broker* self) {
  if (!stopping || !conns.empty())
    return;
  stopped.deliver(caf::ok_atom_v);
  self->quit();
}

caf::result<uint16_t> listener_state::open(caf::io::broker* self,
                                           uint16_t wanted,
                                           const std::string& bind,
                                           bool with_tls) {
  if (with_tls && !tls) {
    auto ctx = tls_context::make_server(tls_config);
    if (!ctx)
      return caf::make_error(caf::sec::runtime_error, ctx.error().detail);
    tls = *ctx;
  }
  auto res = self->add_tcp_doorman(wanted, bind.c_str(), true);
  if (!res)
    return res.error();
  acceptors.emplace(res->first, with_tls);
  return res->second;
}

std::string listener_state::reload(caf::io::broker* self) {
  if (!tls)
    return "TLS is not on";
  auto ctx = tls_context::make_server(tls_config);
  if (!ctx) {
    self->send(svc.log, log_atom_v,
               "tls reload failed, keeping the old certificate: "
                 + ctx.error().detail);
    return ctx.error().detail;
  }
  tls = *ctx; // connections keep the context they started with
  self->send(svc.log, log_atom_v,
             "tls reloaded certificate " + tls_config.cert_file);
  return {};
}

caf::behavior listener_actor(caf::io::stateful_broker<listener_state>* self,
                             services svc, tls_server_config tls) {
  self->state.svc = std::move(svc);
  self->state.tls_config = std::move(tls);
  address_limits::policy lp;
  lp.max_open = self->state.svc.settings.max_connections_per_ip;
  lp.max_new = self->state.svc.settings.max_new_connections_per_ip;
  lp.exempt_loopback = self->state.svc.settings.exempt_loopback;
  self->state.limits = address_limits{lp};
  self->set_down_handler([=](const caf::down_msg& dm) {
    auto& st = self->state;
    auto i = st.conns.find(caf::actor_cast<caf::actor>(dm.source));
    if (i != st.conns.end()) {
      st.limits.release(i->second);
      st.conns.erase(i);
    }
    st.maybe_stopped(self);
  });
  return {
    [=](const caf::io::new_connection_msg& msg) {
      self->state.on_connection(self, msg.handle, msg.source);
    },
    [=](caf::open_atom, uint16_t port, const std::string& bind) {
      return self->state.open(self, port, bind, false);
    },
    [=](caf::open_atom, tls_atom, uint16_t port, const std::string& bind) {
      return self->state.open(self, port, bind, true);
    },
    [=](reload_atom) { return self->state.reload(self); },
    [=](metrics_atom) {
      auto res = self->state.counts;
      res.open = self->state.conns.size();
      return res;
    },
    [=](shutdown_atom) {
      auto& st = self->state;
      st.stopping = true;
      st.stopped = self->make_response_promise();
      for (auto& a : st.acceptors)
        self->close(a.first);
      for (auto& c : st.conns)
        self->send(c.first, shutdown_atom_v);
      st.maybe_stopped(self);
      return st.stopped;
    },
  };
}

} // namespace kurir::net
