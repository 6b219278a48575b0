#pragma once

#include <string>
#include <vector>

#include "actors/group/group_handle.hpp"
#include "actors/registry/registry_handle.hpp"
#include "proto/records.hpp"

namespace kurir {

/// A group's member list; plain logic, testable without actors.
class member_list {
public:
  /// Creates the list from (possibly unsorted, duplicated) names.
  explicit member_list(std::vector<std::string> members = {});

  /// Returns whether `name` is a member.
  bool contains(const std::string& name) const;

  /// Returns every member except `sender`, in name order.
  std::vector<std::string> recipients(const std::string& sender) const;

  /// Returns every member, in name order.
  const std::vector<std::string>& names() const { return members_; }

  /// Returns the number of members.
  std::size_t size() const { return members_.size(); }

private:
  std::vector<std::string> members_; // sorted, unique
};

/// State of a group actor.
struct group_state {
  static inline const char* name = "group";
  std::string group_name;
  member_list members;
  registry_handle registry;
};

/// One actor per group: fans committed messages out to the members'
/// sessions through the registry, in the order the writer committed them.
group_handle::behavior_type
group_actor(group_handle::stateful_pointer<group_state> self,
            persistence::group_record group, registry_handle registry);

} // namespace kurir
