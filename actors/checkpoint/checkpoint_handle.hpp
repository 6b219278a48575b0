#pragma once

#include <cstdint>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "actors/fwd.hpp"

namespace kurir {

/// The checkpointer: runs passes of the write-ahead log's checkpoint on a
/// connection of its own, beside the writer, which asks for them.
using checkpoint_handle = caf::typed_actor<
  /// Runs one passive checkpoint; answers the WAL's size in frames when the
  /// pass began and how many of them are now in the database file.
  caf::replies_to<checkpoint_atom>::with<int64_t, int64_t>>;

} // namespace kurir
