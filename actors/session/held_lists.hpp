#pragma once

#include <cstddef>
#include <deque>
#include <memory>

#include "proto/records.hpp"

namespace kurir {

/// Live deliveries a session holds while its socket is full: references to
/// the lists it was handed (a group's list is shared by every member's
/// session), each with the position to go on from. A pointer per list, not
/// a copy per message, and not a read from the database later: a slow
/// reader in a large group costs almost nothing to hold. Plain logic.
class held_lists {
public:
  /// A shared list of messages in commit order.
  using list_ptr = std::shared_ptr<const persistence::message_list>;

  /// A held list and the index of its first message not yet offered.
  struct part {
    list_ptr list;
    std::size_t from = 0;
  };

  /// Holds `list` from index `from` on, behind everything held before.
  void push_back(list_ptr list, std::size_t from);

  /// Puts the rest of a list taken by `take` back in front.
  void push_front(list_ptr list, std::size_t from);

  /// Takes the oldest held part. Requires `!empty()`.
  part take();

  /// Returns whether nothing is held.
  bool empty() const { return parts_.empty(); }

  /// Returns how many messages the held parts hold (own ones included).
  std::size_t messages() const { return messages_; }

  /// Returns the bytes of names and bodies of the held lists, whole lists
  /// counted (a part keeps its whole list alive).
  std::size_t bytes() const { return bytes_; }

  /// Forgets everything held, calling `f(message)` for each held message
  /// in order first.
  template<class F>
  void drop(F&& f) {
    for (const auto& p : parts_)
      for (auto i = p.from; i < p.list->size(); ++i)
        f((*p.list)[i]);
    parts_.clear();
    messages_ = 0;
    bytes_ = 0;
  }

private:
  /// Counts `list` from `from` on as held; false if nothing is left of it.
  bool count_in(const list_ptr& list, std::size_t from);
  /// Returns the bytes `bytes()` counts for `list`.
  static std::size_t size_of(const persistence::message_list& list);

  std::deque<part> parts_;
  std::size_t messages_ = 0;
  std::size_t bytes_ = 0;
};

} // namespace kurir
