#pragma once

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/fwd.hpp"

namespace kurir {

/// State of a TLS worker: nothing but its name; the streams come with
/// the jobs.
struct tls_worker_state {
  static inline const char* name = "tls_worker";
};

/// Feeds `job.bytes` through `job.stream` and returns what came out: the
/// work of one handshake step, off the multiplexer thread.
tls_step run_tls_job(tls_job& job);

/// A worker for TLS handshakes: `(tls_atom, tls_job)` answers the
/// `tls_step`. Runs detached (its own thread, "kurir.tls"): a handshake's
/// public-key work then stalls neither the multiplexer, which serves every
/// socket, nor the scheduler's workers.
caf::behavior tls_worker_actor(caf::stateful_actor<tls_worker_state>* self);

} // namespace kurir
