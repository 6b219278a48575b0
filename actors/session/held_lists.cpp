#include "actors/session/held_lists.hpp"

#include <utility>

namespace kurir {

bool held_lists::count_in(const list_ptr& list, std::size_t from) {
  if (!list || from >= list->size())
    return false;
  messages_ += list->size() - from;
  bytes_ += size_of(*list);
  return true;
}

void held_lists::push_back(list_ptr list, std::size_t from) {
  if (count_in(list, from))
    parts_.push_back({std::move(list), from});
}

void held_lists::push_front(list_ptr list, std::size_t from) {
  if (count_in(list, from))
    parts_.push_front({std::move(list), from});
}

held_lists::part held_lists::take() {
  auto p = std::move(parts_.front());
  parts_.pop_front();
  messages_ -= p.list->size() - p.from;
  bytes_ -= size_of(*p.list);
  return p;
}

std::size_t held_lists::size_of(const persistence::message_list& list) {
  std::size_t n = 0;
  for (const auto& m : list)
    n += sizeof(m) + m.from.size() + m.to.size() + m.body.size();
  return n;
}

} // namespace kurir
