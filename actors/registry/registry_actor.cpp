#include "actors/registry/registry_actor.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/group/group_actor.hpp"
#include "actors/messages.hpp"

namespace kurir {

void registry_state::login(const std::string& user, const caf::actor& session) {
  if (online.user_of(session.address()).empty())
    self->monitor(session);
  online.add(user, session.address());
}

void registry_state::route(persistence::stored_message& msg) {
  if (!msg.group) {
    deliver({msg.to}, msg);
    return;
  }
  auto i = groups.find(msg.to);
  if (i != groups.end())
    self->send(i->second, fanout_atom_v, std::move(msg));
}

void registry_state::deliver(const std::vector<std::string>& users,
                             const persistence::stored_message& msg) {
  for (const auto& user : users)
    for (const auto& addr : online.find(user))
      if (auto session = caf::actor_cast<caf::actor>(addr))
        caf::anon_send(session, deliver_atom_v, msg);
}

registry_handle::behavior_type
registry_actor(registry_handle::stateful_pointer<registry_state> self,
               std::vector<persistence::group_record> groups) {
  registry_handle me = self;
  for (auto& g : groups) {
    auto name = g.name;
    self->state.groups.emplace(
        name, self->spawn<caf::linked>(group_actor, std::move(g), me));
  }
  self->set_down_handler(
      [=](const caf::down_msg& dm) { self->state.online.remove(dm.source); });
  return {
      [=](login_atom, const std::string& user, const caf::actor& session) {
        self->state.login(user, session);
        return caf::ok_atom_v;
      },
      [=](logout_atom, const std::string&, const caf::actor& session) {
        self->state.online.remove(session.address());
        self->demonitor(session);
      },
      [=](route_atom, persistence::stored_message& msg) {
        self->state.route(msg);
      },
      [=](deliver_atom, const std::vector<std::string>& users,
          const persistence::stored_message& msg) {
        self->state.deliver(users, msg);
      },
  };
}

} // namespace kurir
