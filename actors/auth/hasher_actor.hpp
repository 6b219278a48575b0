#pragma once

#include <cstddef>
#include <vector>

#include "actors/auth/hasher_handle.hpp"
#include "persistence/password.hpp"

namespace kurir {

/// State of one hashing worker.
struct hash_worker_state {
  static inline const char* name = "hash_worker";
  persistence::hash_cost cost;
};

/// A worker that computes argon2id hashes; runs detached (its own thread),
/// so a slow hash never stalls the scheduler or the network.
hasher_handle::behavior_type
hash_worker_actor(hasher_handle::stateful_pointer<hash_worker_state> self,
                  persistence::hash_cost cost);

/// State of the pool front: round-robin over its workers.
struct hasher_state {
  static inline const char* name = "hasher";
  std::vector<hasher_handle> workers;
  std::size_t next = 0;
  /// Returns the worker for the next request.
  const hasher_handle& pick();
};

/// The pool front: spawns `workers` detached workers and delegates to them.
hasher_handle::behavior_type
hasher_actor(hasher_handle::stateful_pointer<hasher_state> self,
             persistence::hash_cost cost, std::size_t workers);

} // namespace kurir
