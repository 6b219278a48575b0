#include "persistence/store.hpp"

namespace kurir::persistence {

store::~store() = default;

outcome<std::vector<outcome<done>>>
store::add_users(const std::vector<user_record>& users) {
  std::vector<outcome<done>> out;
  out.reserve(users.size());
  for (const auto& u : users)
    out.push_back(add_user(u));
  return out;
}

store_stats store::stats() const {
  return {};
}

outcome<done> store::checkpoint() {
  return done{};
}

std::vector<metrics::queue_depth> store::deepest_queues(std::size_t) const {
  return {};
}

} // namespace kurir::persistence
