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
#include "net/tls/tls.hpp"
#include "net/web/handshake.hpp"
#include "proto/metrics.hpp"

namespace kurir::net {

/// What an accepting socket serves.
struct port_kind {
  bool tls = false; ///< TLS first
  bool web = false; ///< HTTP and WebSocket (the web port)
};

/// State of the listener: the accepting sockets (plain, TLS, web) and the
/// live connections of all.
struct listener_state {
  static inline const char* name = "listener";
  services svc;
  std::map<caf::io::accept_handle, port_kind> acceptors;
  web_origins origins; ///< who may open a WebSocket on the web port
  std::map<caf::actor, std::string> conns; ///< live connections and their ip
  address_limits limits{address_limits::policy{}};
  tls_server_config tls_config;
  std::shared_ptr<const tls_context> tls; ///< for new TLS connections
  bool stopping = false;
  caf::response_promise stopped;   ///< kept when shutdown is requested
  metrics::listener_report counts; ///< for the metrics actor
  std::size_t next_tls = 0;        ///< the TLS worker of the next connection

  /// Starts listening on `bind`:`wanted` (0: any free port) for `kind`;
  /// returns the bound port, or why it cannot listen.
  caf::result<uint16_t> open(caf::io::broker* self, uint16_t wanted,
                             const std::string& bind, port_kind kind);

  /// Reads the certificate and key again; new handshakes use them. On
  /// failure keeps the old ones, logs and returns why ("" on success).
  std::string reload(caf::io::broker* self);

  /// Admits or refuses a new connection (connections per address).
  void on_connection(caf::io::broker* self, caf::io::connection_handle hdl,
                     caf::io::accept_handle source);

  /// Answers the shutdown request once no connection is left.
  void maybe_stopped(caf::io::broker* self);
};

/// Forks a socket broker per accepted connection. `(open_atom, port, bind)`
/// starts listening and answers the bound port or the error, `(open_atom,
/// tls_atom, port, bind)` the same for TLS with the certificate of `tls`,
/// `(open_atom, web_atom, origins, port, bind)` the web port (HTTPS when a
/// certificate is configured) taking WebSockets from `--web-origin`'s list;
/// `reload_atom` reads that certificate again and answers "" or why not;
/// `metrics_atom` answers the connection counters; on
/// `shutdown_atom` it stops accepting, lets every connection answer what it
/// has started, and answers `ok_atom` once all are closed.
caf::behavior listener_actor(caf::io::stateful_broker<listener_state>* self,
                             services svc, tls_server_config tls);

} // namespace kurir::net
