#pragma once

#include <cstddef>
#include <vector>

#include "actors/auth/auth_handle.hpp"
#include "actors/auth/hasher_handle.hpp"
#include "actors/auth/login_throttle.hpp"
#include "actors/eventlog/event_log_actor.hpp"
#include "actors/writer/writer_handle.hpp"
#include "persistence/password.hpp"
#include "proto/limits.hpp"

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
  explicit auth_state(auth_handle::pointer owner) : self(owner) {}

  auth_handle::pointer self;
  std::vector<hasher_handle> workers;
  std::size_t next = 0;
  std::size_t in_flight = 0; ///< hashes running or queued at the workers
  std::size_t max_in_flight = limits::max_hashes_queued;
  uint64_t refused = 0; ///< requests refused with server_busy
  login_throttle throttle;
  event_log_handle log;
  writer_handle writer;          ///< stores rehashed passwords
  persistence::hash_cost cost{}; ///< what new hashes use

  /// Returns the worker for the next request.
  const hasher_handle& pick();

  /// Hashes a new password, unless the pool is saturated.
  caf::result<std::string> hash(std::string password);

  /// Checks a login: throttle, pool, then the hash. A successful login
  /// whose hash was made at another cost is rehashed at the configured
  /// cost and stored before the answer.
  caf::result<bool> verify(std::string account, std::string address,
                           std::string hash, std::string password, bool known);

private:
  /// Counts the result of a verification in the throttle and answers it,
  /// after a rehash if one is due.
  void verified(caf::typed_response_promise<bool> rp, std::string account,
                std::string address, std::string hash, std::string password,
                bool ok);
  /// Hashes `password` at `cost`, stores it for `account`, then answers
  /// true: a failed rehash is logged, the login stands.
  void rehash(caf::typed_response_promise<bool> rp, std::string account,
              std::string password);
};

/// The authentication front; spawns `workers` hashing workers (detached,
/// i.e. on their own threads, unless `detach` is false). Rehashed passwords
/// go to `writer`.
auth_handle::behavior_type
auth_actor(auth_handle::stateful_pointer<auth_state> self,
           persistence::hash_cost cost, std::size_t workers, bool detach,
           event_log_handle log, writer_handle writer);

} // namespace kurir
