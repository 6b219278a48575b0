#pragma once

#include <cstdint>
#include <set>
#include <string>

#include <caf/actor.hpp>
#include <caf/io/accept_handle.hpp>
#include <caf/io/broker.hpp>
#include <caf/response_promise.hpp>

#include "actors/services.hpp"

namespace kurir::net {

/// State of the listener: the accepting socket and its live connections.
struct listener_state {
  static inline const char* name = "listener";
  services svc;
  caf::io::accept_handle acceptor;
  uint16_t port = 0;
  std::set<caf::actor> conns;
  bool stopping = false;
  caf::response_promise stopped; ///< kept when shutdown is requested

  /// Answers the shutdown request once no connection is left.
  void maybe_stopped(caf::io::broker* self);
};

/// Listens on `bind`:`port` (0: any free port) and forks a socket broker per
/// accepted connection. Answers `get_atom` with the bound port; on
/// `shutdown_atom` stops accepting, lets every connection answer what it
/// has started, and answers `ok_atom` once all are closed. Quits with the
/// error if it cannot bind.
caf::behavior listener_actor(caf::io::stateful_broker<listener_state>* self,
                             services svc, uint16_t port, std::string bind);

} // namespace kurir::net
