#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>

#include "actors/group/group_handle.hpp"
#include "actors/registry/directory.hpp"
#include "actors/registry/registry_handle.hpp"
#include "persistence/records.hpp"

namespace kurir {

/// State of the registry.
struct registry_state {
  static inline const char* name = "registry";

  /// Binds the state to its actor.
  explicit registry_state(registry_handle::pointer self) : self(self) {}

  registry_handle::pointer self;
  directory<caf::actor_addr> online;
  std::unordered_map<std::string, group_handle> groups;

  /// Marks `session` online as `user` and monitors it.
  void login(const std::string& user, const caf::actor& session);

  /// Sends a committed message to its recipient or to its group's actor.
  void route(persistence::stored_message& msg);

  /// Sends `msg` to every session of every named user.
  void deliver(const std::vector<std::string>& users,
               const persistence::stored_message& msg);
};

/// The registry actor; spawns one group actor per group in `groups`.
registry_handle::behavior_type
registry_actor(registry_handle::stateful_pointer<registry_state> self,
               std::vector<persistence::group_record> groups);

} // namespace kurir
