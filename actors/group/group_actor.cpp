#include "actors/group/group_actor.hpp"

#include <algorithm>

#include <caf/typed_event_based_actor.hpp>

#include "actors/messages.hpp"

namespace kurir {

member_list::member_list(std::vector<std::string> members)
    : members_(std::move(members)) {
  std::sort(members_.begin(), members_.end());
  members_.erase(std::unique(members_.begin(), members_.end()), members_.end());
}

bool member_list::contains(const std::string& name) const {
  return std::binary_search(members_.begin(), members_.end(), name);
}

std::vector<std::string>
member_list::recipients(const std::string& sender) const {
  std::vector<std::string> out;
  out.reserve(members_.size());
  for (const auto& m : members_)
    if (m != sender)
      out.push_back(m);
  return out;
}

group_handle::behavior_type
group_actor(group_handle::stateful_pointer<group_state> self,
            persistence::group_record group, registry_handle registry) {
  self->state.group_name = group.name;
  self->state.members = member_list{std::move(group.members)};
  self->state.registry = std::move(registry);
  return {
    [=](fanout_atom, persistence::message_list& msgs) {
      // One message for a whole commit's worth: the registry leaves out
      // each message's sender.
      self->send(self->state.registry, deliver_atom_v,
                 self->state.members.names(), std::move(msgs));
    },
    [=](change_atom, persistence::group_record& changed) {
      self->state.members = member_list{std::move(changed.members)};
    },
  };
}

} // namespace kurir
