#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <caf/actor.hpp>
#include <caf/io/accept_handle.hpp>
#include <caf/io/broker.hpp>
#include <caf/response_promise.hpp>
#include <caf/result.hpp>

#include "actors/services.hpp"
#include "net/address_limits.hpp"

namespace kurir::net {

/// State of the listener: the accepting socket and its live connections.
struct listener_state {
  static inline const char* name = "listener";
  services svc;
  caf::io::accept_handle acceptor;
  uint16_t port = 0;
  std::map<caf::actor, std::string> conns; ///< live connections and their ip
  address_limits limits{address_limits::policy{}};
  bool stopping = false;
  caf::response_promise stopped; ///< kept when shutdown is requested

  /// Starts listening on `bind`:`wanted` (0: any free port); returns the
  /// bound port (kept in `port`), or why it cannot listen.
  caf::result<uint16_t> open(caf::io::broker* self, uint16_t wanted,
                             const std::string& bind);

  /// Admits or refuses a new connection (connections per address).
  void on_connection(caf::io::broker* self, caf::io::connection_handle hdl);

  /// Answers the shutdown request once no connection is left.
  void maybe_stopped(caf::io::broker* self);
};

/// Forks a socket broker per accepted connection. `(open_atom, port, bind)`
/// starts listening and answers the bound port or the error; on
/// `shutdown_atom` it stops accepting, lets every connection answer what it
/// has started, and answers `ok_atom` once all are closed.
caf::behavior listener_actor(caf::io::stateful_broker<listener_state>* self,
                             services svc);

} // namespace kurir::net
