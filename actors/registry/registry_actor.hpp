#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/directory.hpp"
#include "actors/group/group_handle.hpp"
#include "actors/registry/contact_book.hpp"
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
  /// Contacts of every online user: who hears of their presence.
  contact_book contacts;
  /// Per user, the group actors that want to know of their sessions (the
  /// groups they are in, as the groups say).
  std::unordered_map<std::string, std::vector<group_handle>> interest;

  /// Marks `session` online as `user` and monitors it; the first session
  /// of a user announces them to their online contacts. The promise is
  /// kept once every group of `user` delivers to `session`.
  caf::typed_response_promise<caf::ok_atom>
  login(const std::string& user, const caf::actor& session,
        const std::vector<std::string>& user_contacts);

  /// Forgets `session` (and so do the user's groups); the last session of
  /// a user announces them gone.
  void forget(const caf::actor_addr& session);

  /// Returns the online contacts of `user`.
  std::vector<std::string> who(const std::string& user) const;

  /// Messages for each session, in order; sent as one message per session.
  using outbox = std::map<caf::actor_addr, persistence::message_list>;

  /// Sends one commit's direct messages to their recipients' sessions, one
  /// message per session.
  void route(persistence::message_list& msgs);

  /// Records `group`'s interest in `users`; returns their live sessions.
  live_sessions subscribe(const group_handle& group,
                          const std::vector<std::string>& users,
                          const std::vector<std::string>& members);

  /// Forgets `group`'s interest in `users`.
  void unsubscribe(const group_handle& group,
                   const std::vector<std::string>& users);

  /// Tells every session of every online contact of `user` its presence.
  void announce(const std::string& user, bool is_online);

  /// Makes `a` and `b` contacts of each other (for those online).
  void link_contacts(const std::string& a, const std::string& b);
};

/// The registry actor.
registry_handle::behavior_type
registry_actor(registry_handle::stateful_pointer<registry_state> self);

} // namespace kurir
