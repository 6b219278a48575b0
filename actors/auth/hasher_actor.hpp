#pragma once

#include <cstddef>
#include <vector>

#include "actors/auth/auth_handle.hpp"
#include "actors/auth/hasher_handle.hpp"
#include "actors/auth/login_throttle.hpp"
#include "actors/eventlog/event_log_actor.hpp"
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

/// State of the authentication front.
struct auth_state {
  static inline const char* name = "auth";

  /// Binds the state to its actor.
  explicit auth_state(auth_handle::pointer self) : self(self) {}

  auth_handle::pointer self;
  std::vector<hasher_handle> workers;
  std::size_t next = 0;
  std::size_t in_flight = 0; ///< hashes running or queued at the workers
  std::size_t max_in_flight = 64;
  login_throttle throttle;
  event_log_handle log;

  /// Returns the worker for the next request.
  const hasher_handle& pick();

  /// Hashes a new password, unless the pool is saturated.
  caf::result<std::string> hash(std::string password);

  /// Checks a login: throttle, pool, then the hash.
  caf::result<bool> verify(std::string account, std::string address,
                           std::string hash, std::string password, bool known);
};

/// The authentication front; spawns `workers` hashing workers (detached,
/// i.e. on their own threads, unless `detach` is false).
auth_handle::behavior_type
auth_actor(auth_handle::stateful_pointer<auth_state> self,
           persistence::hash_cost cost, std::size_t workers, bool detach,
           event_log_handle log);

} // namespace kurir
