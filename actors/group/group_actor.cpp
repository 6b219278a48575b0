#include "actors/group/group_actor.hpp"

#include <memory>

#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/messages.hpp"

namespace kurir {

void group_state::fanout(const persistence::message_list& msgs) {
  // One list shared by every member's session: no copy per recipient, and
  // a session whose socket is full holds the reference. Each session leaves
  // out what its own user sent; trimming the list per sender here would
  // copy it once per sender in the commit.
  shared_deliveries shared{
    std::make_shared<const persistence::message_list>(msgs)};
  auto all = caf::make_message(deliver_atom_v, std::move(shared));
  live.each([&](const caf::actor_addr& s, const std::string&) {
    if (auto session = caf::actor_cast<caf::actor>(s))
      caf::anon_send(session, all);
  });
}

void group_state::change(persistence::group_record& group,
                         const persistence::membership_change& c) {
  members = member_list{std::move(group.members)};
  if (c.kind == persistence::membership_change::add)
    return subscribe({c.member}, c);
  tell(c); // a removed member hears of it, then hears nothing more
  auto sessions = live.find(c.member); // a copy: `remove` changes it
  for (const auto& s : sessions)
    live.remove(s);
  std::vector<std::string> gone{c.member};
  self->send(registry, unsubscribe_atom_v, caf::actor_cast<caf::actor>(self),
             std::move(gone));
}

void group_state::watch(const std::string& user, const caf::actor& session) {
  if (members.contains(user)) // a removed member's login may cross it
    live.add(user, session.address());
}

void group_state::subscribe(std::vector<std::string> users,
                            persistence::membership_change event) {
  self
    ->request(registry, caf::infinite, subscribe_atom_v,
              caf::actor_cast<caf::actor>(self), std::move(users),
              members.names())
    .await(
      [=](live_sessions& found) {
        for (auto& ls : found)
          watch(ls.user, ls.session);
        if (!event.group.empty())
          tell(event);
      },
      [](caf::error&) {}); // the registry is gone: so is the node
}

void group_state::tell(const persistence::membership_change& c) {
  for (const auto& s : live.find(c.member))
    if (auto session = caf::actor_cast<caf::actor>(s))
      caf::anon_send(session, group_event_atom_v, c);
}

group_handle::behavior_type
group_actor(group_handle::stateful_pointer<group_state> self,
            persistence::group_record group, registry_handle registry,
            bool created) {
  auto& st = self->state;
  st.group_name = group.name;
  st.members = member_list{group.members};
  st.registry = std::move(registry);
  persistence::membership_change born;
  if (created)
    born = {persistence::membership_change::create, group.owner, group.name,
            group.owner};
  st.subscribe(st.members.names(), std::move(born));
  return {
    [=](fanout_atom, const persistence::message_list& msgs) {
      self->state.fanout(msgs);
    },
    [=](change_atom, persistence::group_record& g,
        const persistence::membership_change& c) { self->state.change(g, c); },
    [=](watch_atom, const std::string& user, const caf::actor& session) {
      self->state.watch(user, session);
      return caf::ok_atom_v;
    },
    [=](unwatch_atom, const caf::actor_addr& session) {
      self->state.live.remove(session);
    },
  };
}

} // namespace kurir
