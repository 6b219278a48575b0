#include "actors/session/held_lists.hpp"

#include <utility>

namespace kurir {

void held_lists::push_back(list_ptr list, std::size_t from) {
  if (!list || from >= list->size())
    return;
  messages_ += list->size() - from;
  parts_.push_back({std::move(list), from});
}

void held_lists::push_front(list_ptr list, std::size_t from) {
  if (!list || from >= list->size())
    return;
  messages_ += list->size() - from;
  parts_.push_front({std::move(list), from});
}

held_lists::part held_lists::take() {
  auto p = std::move(parts_.front());
  parts_.pop_front();
  messages_ -= p.list->size() - p.from;
  return p;
}

} // namespace kurir
