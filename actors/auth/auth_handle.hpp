#pragma once

#include <string>

#include <caf/replies_to.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/fwd.hpp"

namespace kurir {

/// The authentication front: a bounded pool of hashing workers behind a
/// login throttle. Answers `server_busy` when the pool is saturated and
/// `try_later` for a throttled account or address, both before hashing.
using auth_handle = caf::typed_actor<
  /// password -> argon2id hash string
  caf::replies_to<hash_atom, std::string>::with<std::string>,
  /// (account, address ("" if exempt), hash, password, account exists) ->
  /// whether the login succeeds. An unknown account is verified against a
  /// dummy hash and fails, costing the same time as a wrong password.
  caf::replies_to<verify_atom, std::string, std::string, std::string,
                  std::string, bool>::with<bool>,
  /// Answers the pool's queue and refusals (for the metrics actor).
  caf::replies_to<metrics_atom>::with<metrics::auth_report>>;

} // namespace kurir
