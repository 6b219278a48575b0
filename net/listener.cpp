#include "net/listener.hpp"

#include <caf/io/system_messages.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/fwd.hpp"
#include "net/conn_broker.hpp"

namespace kurir::net {

void listener_state::maybe_stopped(caf::io::broker* self) {
  if (!stopping || !conns.empty())
    return;
  stopped.deliver(caf::ok_atom_v);
  self->quit();
}

caf::result<uint16_t> listener_state::open(caf::io::broker* self, uint16_t port,
                                           const std::string& bind) {
  auto res = self->add_tcp_doorman(port, bind.c_str(), true);
  if (!res)
    return res.error();
  acceptor = res->first;
  this->port = res->second;
  return this->port;
}

caf::behavior listener_actor(caf::io::stateful_broker<listener_state>* self,
                             services svc) {
  self->state.svc = std::move(svc);
  self->set_down_handler([=](const caf::down_msg& dm) {
    self->state.conns.erase(caf::actor_cast<caf::actor>(dm.source));
    self->state.maybe_stopped(self);
  });
  return {
    [=](const caf::io::new_connection_msg& msg) {
      auto conn = self->fork(conn_actor, msg.handle, self->state.svc);
      self->monitor(conn);
      self->state.conns.insert(conn);
    },
    [=](caf::open_atom, uint16_t port, const std::string& bind) {
      return self->state.open(self, port, bind);
    },
    [=](shutdown_atom) {
      auto& st = self->state;
      st.stopping = true;
      st.stopped = self->make_response_promise();
      self->close(st.acceptor);
      for (auto& c : st.conns)
        self->send(c, shutdown_atom_v);
      st.maybe_stopped(self);
      return st.stopped;
    },
  };
}

} // namespace kurir::net
