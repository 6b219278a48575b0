#pragma once

#include <string>

#include <caf/replies_to.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/fwd.hpp"

namespace kurir {

/// Password hashing, off the I/O path, on a bounded pool of workers.
using hasher_handle = caf::typed_actor<
  /// password -> argon2id hash string
  caf::replies_to<hash_atom, std::string>::with<std::string>,
  /// (hash, password) -> whether they match
  caf::replies_to<verify_atom, std::string, std::string>::with<bool>>;

} // namespace kurir
