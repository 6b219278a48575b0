#pragma once

#include <memory>

#include "actors/spool/spool_handle.hpp"
#include "persistence/store.hpp"

namespace kurir {

/// State of the spool: a read-only store handle. WAL lets it read while the
/// writer commits; each read sees every commit that finished before it.
struct spool_state {
  static inline const char* name = "spool";
  std::shared_ptr<persistence::store> db;
};

/// The spool actor; `db` should be a read-only handle on the database.
spool_handle::behavior_type
spool_actor(spool_handle::stateful_pointer<spool_state> self,
            std::shared_ptr<persistence::store> db);

} // namespace kurir
