// The conn broker's web port: HTTP and WebSocket between the socket (or
// TLS) and the codec (net/web/web_stream.hpp does the parsing).

#include "actors/conn/conn_broker.hpp"

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/messages.hpp"
#include "actors/session/session_actor.hpp"

namespace kurir::net {

void conn_state::start_session(caf::io::broker* self) {
  session = self->spawn(kurir::session_actor, caf::actor_cast<caf::actor>(self),
                        peer, svc);
  self->monitor(session);
}

bool conn_state::on_plain(caf::io::broker* self, std::string_view chunk) {
  return web ? on_web(self, chunk) : on_data(self, chunk);
}

bool conn_state::on_web(caf::io::broker* self, std::string_view chunk) {
  if (stopping)
    return true;
  auto res = web->feed(chunk);
  write_out(self, res.out);
  if (res.upgraded) {
    self->send(log, log_atom_v, "web socket from " + peer);
    start_session(self);
  }
  for (auto& text : res.texts)
    if (!on_data(self, text))
      return false;
  if (!res.close)
    return true;
  stopping = true;
  if (res.status != 0 && res.status != 200)
    self->send(log, log_atom_v,
               "web " + std::to_string(res.status) + " for " + peer + ": "
                 + res.detail);
  if (res.ws_code != 0)
    self->send(log, log_atom_v,
               "web socket of " + peer + " closed ("
                 + std::to_string(res.ws_code) + "): " + res.detail);
  close_socket(self);
  if (session) // it logs and quits; its down message ends this broker
    self->send(session, caf::close_atom_v);
  else
    self->quit();
  return false;
}

void conn_state::on_web_deadline(caf::io::broker* self) {
  if (!web || web->upgraded() || closed)
    return;
  if (!tls_running && (!tls || tls_done))
    write_out(self, web->timeout());
  self->send(log, log_atom_v,
             "web 408 for " + peer + ": no request within the deadline");
  stopping = true;
  close_socket(self);
  self->quit();
}

} // namespace kurir::net
