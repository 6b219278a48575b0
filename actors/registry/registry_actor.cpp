#include "actors/registry/registry_actor.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/group/group_actor.hpp"
#include "actors/messages.hpp"

namespace kurir {

void registry_state::login(const std::string& user, const caf::actor& session,
                           const std::vector<std::string>& user_contacts) {
  if (online.user_of(session.address()).empty())
    self->monitor(session);
  else
    forget(session.address()); // the session served someone else before
  bool first = online.find(user).empty();
  online.add(user, session.address());
  auto& mine = contacts[user];
  mine.insert(user_contacts.begin(), user_contacts.end());
  for (const auto& c : mine) {
    auto i = contacts.find(c);
    if (i != contacts.end())
      i->second.insert(user);
  }
  if (first)
    announce(user, true);
}

void registry_state::forget(const caf::actor_addr& session) {
  auto user = online.remove(session);
  if (user.empty() || !online.find(user).empty())
    return;
  announce(user, false);
  contacts.erase(user);
}

std::vector<std::string> registry_state::who(const std::string& user) const {
  std::vector<std::string> out;
  auto i = contacts.find(user);
  if (i == contacts.end())
    return out;
  for (const auto& c : i->second)
    if (!online.find(c).empty())
      out.push_back(c);
  return out;
}

void registry_state::announce(const std::string& user, bool is_online) {
  for (const auto& c : who(user))
    for (const auto& addr : online.find(c))
      if (auto session = caf::actor_cast<caf::actor>(addr))
        caf::anon_send(session, presence_atom_v, user, is_online);
}

void registry_state::link_contacts(const std::string& a, const std::string& b) {
  if (auto i = contacts.find(a); i != contacts.end())
    i->second.insert(b);
  if (auto i = contacts.find(b); i != contacts.end())
    i->second.insert(a);
}

void registry_state::route(persistence::message_list& msgs) {
  outbox out;
  std::map<std::string, persistence::message_list> by_group;
  for (auto& msg : msgs) {
    if (msg.group) {
      by_group[msg.to].push_back(std::move(msg));
      continue;
    }
    link_contacts(msg.from, msg.to);
    collect(msg.to, msg, out);
  }
  send_all(out);
  for (auto& [group_name, batch] : by_group)
    if (auto i = groups.find(group_name); i != groups.end())
      self->send(i->second, fanout_atom_v, std::move(batch));
}

void registry_state::deliver(const std::vector<std::string>& users,
                             const persistence::message_list& msgs) {
  // One message shared by every member's sessions (CAF messages are
  // reference counted): no copy per recipient. Each session leaves out
  // what its own user sent.
  auto shared = caf::make_message(deliver_atom_v, msgs);
  for (const auto& user : users)
    for (const auto& addr : online.find(user))
      if (auto session = caf::actor_cast<caf::actor>(addr))
        caf::anon_send(session, shared);
}

void registry_state::collect(const std::string& user,
                             const persistence::stored_message& msg,
                             outbox& out) const {
  for (const auto& addr : online.find(user))
    out[addr].push_back(msg);
}

void registry_state::send_all(outbox& out) {
  for (auto& [addr, batch] : out)
    if (auto session = caf::actor_cast<caf::actor>(addr))
      caf::anon_send(session, deliver_atom_v, std::move(batch));
}

void registry_state::on_group(persistence::group_record& group) {
  for (const auto& a : group.members) {
    auto i = contacts.find(a); // only online members keep contact sets
    if (i == contacts.end())
      continue;
    for (const auto& b : group.members)
      if (a != b)
        i->second.insert(b);
  }
  auto i = groups.find(group.name);
  if (i != groups.end()) {
    self->send(i->second, change_atom_v, std::move(group));
    return;
  }
  registry_handle me = self;
  auto group_name = group.name;
  groups.emplace(group_name,
                 self->spawn<caf::linked>(group_actor, std::move(group), me));
}

registry_handle::behavior_type
registry_actor(registry_handle::stateful_pointer<registry_state> self,
               std::vector<persistence::group_record> groups) {
  for (auto& g : groups)
    self->state.on_group(g);
  self->set_down_handler(
    [=](const caf::down_msg& dm) { self->state.forget(dm.source); });
  return {
    [=](login_atom, const std::string& user, const caf::actor& session,
        const std::vector<std::string>& user_contacts) {
      self->state.login(user, session, user_contacts);
      return caf::ok_atom_v;
    },
    [=](who_atom, const std::string& user) { return self->state.who(user); },
    [=](change_atom, persistence::group_record& group) {
      self->state.on_group(group);
    },
    [=](logout_atom, const std::string&, const caf::actor& session) {
      self->state.forget(session.address());
      self->demonitor(session);
    },
    [=](route_atom, persistence::message_list& msgs) {
      self->state.route(msgs);
    },
    [=](deliver_atom, const std::vector<std::string>& users,
        const persistence::message_list& msgs) {
      self->state.deliver(users, msgs);
    },
  };
}

} // namespace kurir
