#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>

#include "actors/group/group_handle.hpp"
#include "actors/registry/directory.hpp"
#include "actors/registry/registry_handle.hpp"
#include "proto/records.hpp"

namespace kurir {

/// State of the registry.
struct registry_state {
  static inline const char* name = "registry";

  /// Binds the state to its actor.
  explicit registry_state(registry_handle::pointer owner) : self(owner) {}

  registry_handle::pointer self;
  directory<caf::actor_addr> online;
  std::unordered_map<std::string, group_handle> groups;
  /// Contacts of every online user: who hears of their presence.
  std::unordered_map<std::string, std::set<std::string>> contacts;

  /// Marks `session` online as `user` and monitors it; the first session
  /// of a user announces them to their online contacts.
  void login(const std::string& user, const caf::actor& session,
             const std::vector<std::string>& user_contacts);

  /// Forgets `session`; the last session of a user announces them gone.
  void forget(const caf::actor_addr& session);

  /// Returns the online contacts of `user`.
  std::vector<std::string> who(const std::string& user) const;

  /// Messages for each session, in order; sent as one message per session.
  using outbox = std::map<caf::actor_addr, persistence::message_list>;

  /// Sends one commit's messages to their recipients' sessions (direct) or
  /// to their groups' actors (one message per group).
  void route(persistence::message_list& msgs);

  /// Sends the messages to every session of every named user, in one
  /// message they share; a session leaves out its own user's messages.
  void deliver(const std::vector<std::string>& users,
               const persistence::message_list& msgs);

  /// Adds `msg` to the outbox of every session of `user`.
  void collect(const std::string& user, const persistence::stored_message& msg,
               outbox& out) const;

  /// Sends every session its messages.
  void send_all(outbox& out);

  /// Spawns or updates a group's actor; its members become contacts.
  void on_group(persistence::group_record& group);

  /// Tells every session of every online contact of `user` its presence.
  void announce(const std::string& user, bool is_online);

  /// Makes `a` and `b` contacts of each other (for those online).
  void link_contacts(const std::string& a, const std::string& b);
};

/// The registry actor; spawns one group actor per group in `groups`.
registry_handle::behavior_type
registry_actor(registry_handle::stateful_pointer<registry_state> self,
               std::vector<persistence::group_record> groups);

} // namespace kurir
