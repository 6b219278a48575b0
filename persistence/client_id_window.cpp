#include "persistence/client_id_window.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace kurir::persistence {

int client_id_window::less::compare(std::string_view key, const views& v) {
  auto sep = key.find('\0');
  auto sender = key.substr(0, sep);
  if (auto c = sender.compare(v.first); c != 0)
    return c;
  auto cid
    = sep == std::string_view::npos ? std::string_view{} : key.substr(sep + 1);
  return cid.compare(v.second);
}

std::optional<int64_t>
client_id_window::find(std::string_view sender,
                       std::string_view client_id) const {
  auto i = by_key_.find(less::views{sender, client_id});
  if (i == by_key_.end())
    return std::nullopt;
  return i->second;
}

bool client_id_window::add(std::string_view sender, std::string_view client_id,
                           int64_t id) {
  std::string k;
  k.reserve(sender.size() + 1 + client_id.size());
  k += sender;
  k += '\0';
  k += client_id;
  auto added = by_key_.emplace(std::move(k), id).second;
  if (added)
    newest_ = std::max(newest_, id);
  return added;
}

std::vector<client_id_window::entry>
client_id_window::take_slice(std::size_t n) {
  std::vector<entry> out;
  n = std::min(n, by_key_.size());
  out.reserve(n);
  auto i = by_key_.upper_bound(resume_after_);
  while (out.size() < n) {
    if (i == by_key_.end())
      i = by_key_.begin(); // wrap around: n <= size, so one lap at most
    auto node = by_key_.extract(i++);
    const auto& k = node.key();
    auto sep = k.find('\0');
    out.push_back({k.substr(0, sep), k.substr(sep + 1), node.mapped()});
    if (out.size() == n)
      resume_after_ = std::move(node.key());
  }
  // The slice is sorted unless it wrapped: sort it, so a merge writes the
  // index in key order.
  std::sort(out.begin(), out.end(), [](const entry& a, const entry& b) {
    return std::tie(a.sender, a.client_id) < std::tie(b.sender, b.client_id);
  });
  return out;
}

int64_t client_id_window::merged_upto() const noexcept {
  if (by_key_.empty())
    return newest_;
  auto oldest = newest_ + 1;
  for (const auto& [k, id] : by_key_)
    oldest = std::min(oldest, id);
  return oldest - 1;
}

void client_id_window::saw_id(int64_t id) noexcept {
  newest_ = std::max(newest_, id);
}

void client_id_window::clear() {
  by_key_.clear();
  resume_after_.clear();
  newest_ = 0;
}

} // namespace kurir::persistence
