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

/// The registry: which sessions serve which user, and which actor serves
/// which group. Every live delivery passes through it, so that a delivery
/// and a login are ordered (see docs/ARCHITECTURE.md, "Login and delivery").
using registry_handle = caf::typed_actor<
  /// Marks `session` as serving `user`, whose contacts are given; answers
  /// once the registry knows. The contacts online learn that `user` is.
  caf::replies_to<login_atom, std::string, caf::actor,
                  std::vector<std::string>>::with<caf::ok_atom>,
  /// Returns which of `user`'s contacts are online.
  caf::replies_to<who_atom, std::string>::with<std::vector<std::string>>,
  /// A group was created or its membership changed.
  caf::reacts_to<change_atom, persistence::group_record>,
  /// Forgets `session` as serving `user`.
  caf::reacts_to<logout_atom, std::string, caf::actor>,
  /// One commit's messages, in commit order: each to its recipient's
  /// sessions, or to its group's actor.
  caf::reacts_to<route_atom, std::vector<persistence::stored_message>>,
  /// A group's fan-out: the messages to the sessions of every named member
  /// (a session leaves out its own user's messages).
  caf::reacts_to<deliver_atom, std::vector<std::string>,
                 std::vector<persistence::stored_message>>>;

} // namespace kurir
