#include "actors/group/member_list.hpp"

#include <algorithm>

namespace kurir {

member_list::member_list(std::vector<std::string> members)
    : members_(std::move(members)) {
  std::sort(members_.begin(), members_.end());
  members_.erase(std::unique(members_.begin(), members_.end()), members_.end());
}

bool member_list::contains(const std::string& user) const {
  return std::binary_search(members_.begin(), members_.end(), user);
}

} // namespace kurir
