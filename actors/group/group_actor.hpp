#pragma once

#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>

#include "actors/directory.hpp"
#include "actors/group/group_handle.hpp"
#include "actors/group/member_list.hpp"
#include "actors/registry/registry_handle.hpp"
#include "proto/records.hpp"

namespace kurir {

/// State of a group actor: the group's members and their live sessions.
/// The writer sends it every committed message and membership change of
/// the group; the registry tells it which sessions serve its members.
struct group_state {
  static inline const char* name = "group";

  /// Binds the state to its actor.
  explicit group_state(group_handle::pointer owner) : self(owner) {}

  group_handle::pointer self;
  std::string group_name;
  member_list members;
  /// The members' logged-in sessions.
  directory<caf::actor_addr> live;
  registry_handle registry;

  /// Delivers one commit's messages to every member's session, in one
  /// shared message (each session leaves out its own user's messages).
  void fanout(const persistence::message_list& msgs);

  /// Applies a committed membership change: an added member's sessions
  /// start receiving (after the registry names them), a removed member's
  /// stop; the member concerned hears of the change on every session.
  void change(persistence::group_record& group,
              const persistence::membership_change& c);

  /// Delivers to `session` from now on, if `user` is a member.
  void watch(const std::string& user, const caf::actor& session);

  /// Asks the registry for the live sessions of `users` and to name their
  /// later logins; handles nothing else until it answers, so that no
  /// message committed after a member was added misses their sessions.
  /// Then tells `event`'s member, unless `event.group` is empty.
  void subscribe(std::vector<std::string> users,
                 persistence::membership_change event);

  /// Tells every session of the change's member about the change.
  void tell(const persistence::membership_change& c);
};

/// One actor per group. Spawned by the writer, for each group at start
/// (`created` false) and for each new group (`created` true: the owner
/// hears of it).
group_handle::behavior_type
group_actor(group_handle::stateful_pointer<group_state> self,
            persistence::group_record group, registry_handle registry,
            bool created);

} // namespace kurir
