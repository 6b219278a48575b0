#include "actors/listener/listener.hpp"

#include <caf/io/system_messages.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/conn/conn_broker.hpp"
#include "actors/fwd.hpp"
#include "actors/messages.hpp"
#include "net/encode.hpp"
#include "net/http_request.hpp"

namespace kurir::net {

namespace {

/// Why a connection is refused, in its port's language: a TLS alert (a
/// frame could only go in clear), an HTTP 503, or an error frame.
std::string refusal(port_kind kind) {
  if (kind.tls)
    return std::string{refusal_alert()};
  if (kind.web)
    return http_response(503, "text/plain; charset=utf-8",
                         "Service Unavailable: too many connections from "
                         "your address\n");
  return encode_error(errc::too_many_connections) + "\n";
}

} // namespace

void listener_state::on_connection(caf::io::broker* self,
                                   caf::io::connection_handle hdl,
                                   caf::io::accept_handle source) {
  auto ip = self->remote_addr(hdl);
  auto i = acceptors.find(source);
  auto kind = i != acceptors.end() ? i->second : port_kind{};
  if (!limits.admit(ip, self->clock().now())) {
    auto bytes = refusal(kind);
    self->write(hdl, bytes.size(), bytes.data());
    self->flush(hdl);
    self->close(hdl);
    ++counts.refused_per_address;
    self->send(svc.log, log_atom_v,
               "limit connections from " + ip + "; refused");
    return;
  }
  ++(kind.web   ? counts.accepted_web
     : kind.tls ? counts.accepted_tls
                : counts.accepted_plain);
  conn_transport how;
  if (kind.tls) {
    how.tls = tls;
    if (!svc.tls_workers.empty()) // TLS handshakes go round the workers
      how.worker = svc.tls_workers[next_tls++ % svc.tls_workers.size()];
  }
  how.web = kind.web;
  how.origins = origins;
  auto conn = self->fork(conn_actor, hdl, svc, std::move(how));
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
                                           port_kind kind) {
  if (kind.tls && !tls) {
    auto ctx = tls_context::make_server(tls_config);
    if (!ctx)
      return caf::make_error(caf::sec::runtime_error, ctx.error().detail);
    tls = *ctx;
  }
  auto res = self->add_tcp_doorman(wanted, bind.c_str(), true);
  if (!res)
    return res.error();
  acceptors.emplace(res->first, kind);
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
      return self->state.open(self, port, bind, port_kind{});
    },
    [=](caf::open_atom, tls_atom, uint16_t port, const std::string& bind) {
      return self->state.open(self, port, bind, port_kind{true, false});
    },
    [=](caf::open_atom, web_atom, const std::string& origins, uint16_t port,
        const std::string& bind) {
      auto& st = self->state;
      st.origins = web_origins::parse(origins);
      auto with_tls = !st.tls_config.cert_file.empty();
      return st.open(self, port, bind, port_kind{with_tls, true});
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
