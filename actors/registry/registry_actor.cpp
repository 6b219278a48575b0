#include "actors/registry/registry_actor.hpp"

#include <algorithm>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/messages.hpp"

namespace kurir {

caf::typed_response_promise<caf::ok_atom>
registry_state::login(const std::string& user, const caf::actor& session,
                      const std::vector<std::string>& user_contacts) {
  if (online.user_of(session.address()).empty())
    self->monitor(session);
  else
    forget(session.address()); // the session served someone else before
  bool first = online.find(user).empty();
  online.add(user, session.address());
  contacts.add(user, user_contacts);
  if (first)
    announce(user, true);
  // The answer waits until every group of the user delivers to the session:
  // the login's first read of what waits starts only after it.
  auto rp = self->make_response_promise<caf::ok_atom>();
  auto i = interest.find(user);
  if (i == interest.end()) {
    rp.deliver(caf::ok_atom_v);
    return rp;
  }
  auto left = std::make_shared<std::size_t>(i->second.size());
  for (const auto& g : i->second) {
    auto done = [rp, left]() mutable {
      if (--*left == 0)
        rp.deliver(caf::ok_atom_v);
    };
    self->request(g, caf::infinite, watch_atom_v, user, session)
      .then([done](caf::ok_atom) mutable { done(); },
            [done](caf::error&) mutable { done(); }); // a group that is gone
  }
  return rp;
}

void registry_state::forget(const caf::actor_addr& session) {
  auto user = online.remove(session);
  if (user.empty())
    return;
  if (auto i = interest.find(user); i != interest.end())
    for (const auto& g : i->second)
      self->send(g, unwatch_atom_v, session);
  if (!online.find(user).empty())
    return;
  announce(user, false);
  contacts.erase(user);
}

std::vector<std::string> registry_state::who(const std::string& user) const {
  std::vector<std::string> out;
  contacts.each(user, [&](const std::string& c) {
    if (!online.find(c).empty())
      out.push_back(c);
  });
  std::sort(out.begin(), out.end()); // by name, as before interning
  return out;
}

void registry_state::announce(const std::string& user, bool is_online) {
  for (const auto& c : who(user))
    for (const auto& addr : online.find(c))
      if (auto session = caf::actor_cast<caf::actor>(addr))
        caf::anon_send(session, presence_atom_v, user, is_online);
}

void registry_state::link_contacts(const std::string& a, const std::string& b) {
  contacts.link(a, b);
}

void registry_state::route(persistence::message_list& msgs) {
  outbox out;
  for (auto& msg : msgs) {
    // A direct conversation's first message created it: the two are
    // contacts from now on (earlier ones came with the login's contacts).
    if (msg.seq == 1)
      link_contacts(msg.from, msg.to);
    const auto& sessions = online.find(msg.to);
    if (sessions.empty())
      continue;
    for (std::size_t k = 0; k + 1 < sessions.size(); ++k)
      out[sessions[k]].push_back(msg);
    out[sessions.back()].push_back(std::move(msg)); // the last one: no copy
  }
  for (auto& [addr, batch] : out)
    if (auto session = caf::actor_cast<caf::actor>(addr))
      caf::anon_send(session, deliver_atom_v, std::move(batch));
}

live_sessions
registry_state::subscribe(const group_handle& group,
                          const std::vector<std::string>& users,
                          const std::vector<std::string>& members) {
  live_sessions out;
  for (const auto& u : users) {
    auto& groups = interest[u];
    if (std::find(groups.begin(), groups.end(), group) == groups.end())
      groups.push_back(group);
    if (online.find(u).empty()) // nobody to link or name
      continue;
    for (const auto& m : members)
      if (m != u)
        link_contacts(u, m);
    for (const auto& addr : online.find(u))
      if (auto session = caf::actor_cast<caf::actor>(addr))
        out.push_back({u, std::move(session)});
  }
  return out;
}

void registry_state::unsubscribe(const group_handle& group,
                                 const std::vector<std::string>& users) {
  for (const auto& u : users) {
    auto i = interest.find(u);
    if (i == interest.end())
      continue;
    auto& groups = i->second;
    groups.erase(std::remove(groups.begin(), groups.end(), group),
                 groups.end());
    if (groups.empty())
      interest.erase(i);
  }
}

registry_handle::behavior_type
registry_actor(registry_handle::stateful_pointer<registry_state> self) {
  self->set_down_handler(
    [=](const caf::down_msg& dm) { self->state.forget(dm.source); });
  return {
    [=](login_atom, const std::string& user, const caf::actor& session,
        const std::vector<std::string>& user_contacts) {
      return self->state.login(user, session, user_contacts);
    },
    [=](who_atom, const std::string& user) { return self->state.who(user); },
    [=](logout_atom, const std::string&, const caf::actor& session) {
      self->state.forget(session.address());
      self->demonitor(session);
    },
    [=](route_atom, persistence::message_list& msgs) {
      self->state.route(msgs);
    },
    [=](subscribe_atom, const caf::actor& group,
        const std::vector<std::string>& users,
        const std::vector<std::string>& members) {
      return self->state.subscribe(caf::actor_cast<group_handle>(group), users,
                                   members);
    },
    [=](unsubscribe_atom, const caf::actor& group,
        const std::vector<std::string>& users) {
      self->state.unsubscribe(caf::actor_cast<group_handle>(group), users);
    },
  };
}

} // namespace kurir
