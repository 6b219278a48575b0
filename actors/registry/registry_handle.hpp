#pragma once

#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/replies_to.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/fwd.hpp"

namespace kurir {

/// The registry: which sessions serve which user, who hears of whose
/// presence, and which group actors want to know of a user's sessions.
/// Direct deliveries pass through it, so that a delivery and a login are
/// ordered (see docs/ARCHITECTURE.md, "Login and delivery").
using registry_handle = caf::typed_actor<
  /// Marks `session` as serving `user`, whose contacts are given; answers
  /// once the registry and every group `user` is in know. The contacts
  /// online learn that `user` is.
  caf::replies_to<login_atom, std::string, caf::actor,
                  std::vector<std::string>>::with<caf::ok_atom>,
  /// Returns which of `user`'s contacts are online.
  caf::replies_to<who_atom, std::string>::with<std::vector<std::string>>,
  /// Forgets `session` as serving `user`.
  caf::reacts_to<logout_atom, std::string, caf::actor>,
  /// One commit's direct messages, in commit order, to their recipients'
  /// sessions.
  caf::reacts_to<route_atom, std::vector<persistence::stored_message>>,
  /// (group actor, users, all members): the group wants to know of the
  /// users' sessions from now on; answered with those logged in now. The
  /// users and the members online become each other's contacts. (The
  /// group travels as a plain actor handle: a typed handle of the group
  /// cannot be a message type of the block it is built from.)
  caf::replies_to<subscribe_atom, caf::actor, std::vector<std::string>,
                  std::vector<std::string>>::with<live_sessions>,
  /// (group actor, users): the group no longer wants to know of them.
  caf::reacts_to<unsubscribe_atom, caf::actor, std::vector<std::string>>>;

} // namespace kurir
