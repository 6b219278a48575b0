#pragma once

#include <pthread.h>

#include <caf/abstract_actor.hpp>

namespace kurir {

/// Names the calling thread `name` (Linux allows 15 characters) if `self`
/// is a detached actor, which has a thread of its own: `top -H`, `perf` and
/// bench/thread-cpu then tell the writer, the spool, the event log and the
/// hash workers apart. Does nothing for an actor on the scheduler's
/// workers, whose threads every such actor shares. Call it from the
/// behavior function: a detached actor runs it on its own thread.
inline void name_own_thread(const caf::abstract_actor* self, const char* name) {
  if (self->getf(caf::abstract_actor::is_detached_flag))
    pthread_setname_np(pthread_self(), name);
}

} // namespace kurir
