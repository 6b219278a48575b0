#include "actors/registry/contact_book.hpp"

#include <algorithm>

namespace kurir {

contact_book::id contact_book::intern(const std::string& name) {
  auto [i, added] = ids_.emplace(name, static_cast<id>(names_.size()));
  if (added)
    names_.push_back(name);
  return i->second;
}

bool contact_book::insert(std::vector<id>& list, id c) {
  auto at = std::lower_bound(list.begin(), list.end(), c);
  if (at != list.end() && *at == c)
    return false;
  list.insert(at, c);
  return true;
}

void contact_book::add(const std::string& user,
                       const std::vector<std::string>& contacts) {
  auto me = intern(user);
  auto& mine = lists_[me];
  std::vector<id> more;
  more.reserve(contacts.size());
  for (const auto& c : contacts)
    if (c != user)
      more.push_back(intern(c));
  std::sort(more.begin(), more.end());
  std::vector<id> merged;
  merged.reserve(mine.size() + more.size());
  std::set_union(mine.begin(), mine.end(), more.begin(), more.end(),
                 std::back_inserter(merged));
  merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
  mine.swap(merged);
  for (auto c : mine) // `mine` stays valid: a node map never moves lists
    if (auto j = lists_.find(c); j != lists_.end())
      insert(j->second, me);
}

void contact_book::link(const std::string& a, const std::string& b) {
  auto has_a = has(a);
  auto has_b = has(b);
  if (a == b || (!has_a && !has_b))
    return; // nobody online here to tell
  auto ia = intern(a);
  auto ib = intern(b);
  if (has_a)
    insert(lists_[ia], ib);
  if (has_b)
    insert(lists_[ib], ia);
}

void contact_book::erase(const std::string& user) {
  if (auto i = ids_.find(user); i != ids_.end())
    lists_.erase(i->second);
}

bool contact_book::has(const std::string& user) const {
  auto i = ids_.find(user);
  return i != ids_.end() && lists_.count(i->second) > 0;
}

std::size_t contact_book::size(const std::string& user) const {
  auto i = ids_.find(user);
  if (i == ids_.end())
    return 0;
  auto j = lists_.find(i->second);
  return j == lists_.end() ? 0 : j->second.size();
}

} // namespace kurir
