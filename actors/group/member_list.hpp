#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace kurir {

/// A group's member list; plain logic, testable without actors.
class member_list {
public:
  /// Creates the list from (possibly unsorted, duplicated) names.
  explicit member_list(std::vector<std::string> members = {});

  /// Returns whether `user` is a member.
  bool contains(const std::string& user) const;

  /// Returns every member, in name order.
  const std::vector<std::string>& names() const { return members_; }

  /// Returns the number of members.
  std::size_t size() const { return members_.size(); }

private:
  std::vector<std::string> members_; // sorted, unique
};

} // namespace kurir
