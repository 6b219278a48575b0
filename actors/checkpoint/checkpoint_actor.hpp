#pragma once

#include <memory>

#include "actors/checkpoint/checkpoint_handle.hpp"
#include "persistence/sqlite_store.hpp"

namespace kurir {

/// State of the checkpointer: its own connection to the database file.
struct checkpoint_state {
  static inline const char* name = "checkpointer";
  std::shared_ptr<persistence::sqlite_checkpointer> db;
};

/// The checkpointer actor. kurird spawns it detached (thread
/// `kurir.ckpt`): a pass copies pages and syncs the database file, which
/// must not hold up a scheduler thread, nor the writer's.
checkpoint_handle::behavior_type
checkpoint_actor(checkpoint_handle::stateful_pointer<checkpoint_state> self,
                 std::shared_ptr<persistence::sqlite_checkpointer> db);

} // namespace kurir
