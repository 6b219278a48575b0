#pragma once

#include <string>

#include <caf/actor.hpp>
#include <caf/replies_to.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/fwd.hpp"

namespace kurir {

/// A chat group: owns its member list and its members' live sessions, and
/// delivers each committed message to them itself (docs/ARCHITECTURE.md,
/// "Groups").
using group_handle = caf::typed_actor<
  /// One commit's messages to this group, in commit order (from the writer).
  caf::reacts_to<fanout_atom, persistence::message_list>,
  /// The group as it is after a committed change, and the change (from the
  /// writer); the member concerned hears of it on their sessions.
  caf::reacts_to<change_atom, persistence::group_record,
                 persistence::membership_change>,
  /// `session` now serves member `user` (from the registry, at login);
  /// answered once the group delivers to it.
  caf::replies_to<watch_atom, std::string, caf::actor>::with<caf::ok_atom>,
  /// `session` is gone or logged out (from the registry).
  caf::reacts_to<unwatch_atom, caf::actor_addr>>;

} // namespace kurir
