#pragma once

#include <string>
#include <vector>

#include <caf/actor.hpp>

#include "actors/auth/auth_handle.hpp"
#include "actors/eventlog/event_log_actor.hpp"
#include "actors/metrics/metrics_handle.hpp"
#include "actors/registry/registry_handle.hpp"
#include "actors/settings.hpp"
#include "actors/spool/spool_handle.hpp"
#include "actors/writer/writer_handle.hpp"

namespace kurir {

/// Everything a session talks to, handed from the listener to every
/// connection. Plain handles: copying is cheap.
struct services {
  writer_handle writer;
  spool_handle spool;
  registry_handle registry;
  auth_handle hasher;
  event_log_handle log;
  metrics_handle metrics; ///< null unless --metrics-port is on
  /// Detached actors that run TLS handshakes (empty without a TLS port:
  /// then a TLS connection's broker does them itself).
  std::vector<caf::actor> tls_workers;
  session_settings settings;
  /// A hash of a random password, verified against when the user is unknown
  /// so that an unknown user costs the same time as a wrong password.
  std::string dummy_hash;
};

} // namespace kurir
