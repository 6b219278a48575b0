#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace kurir {

/// Whom each online user's presence concerns: the users they share a
/// conversation with (direct or group). Plain data structure, testable
/// without actors.
///
/// Names are interned once (a user's name is one `std::string` however many
/// lists hold them) and each list is a sorted vector of 4-byte ids: a group
/// of 500 online members is 500 lists of 499 ids, about 1 MiB, where sets of
/// names had cost about 16 MiB. Interned names stay for the life of the
/// registry; there are no more of them than users and contacts ever seen.
class contact_book {
public:
  /// An interned name.
  using id = uint32_t;

  /// `user` comes online with `contacts`: adds them to the user's list,
  /// and the user to the list of each contact that is online here.
  void add(const std::string& user, const std::vector<std::string>& contacts);

  /// Makes `a` and `b` contacts of each other, for those online here.
  void link(const std::string& a, const std::string& b);

  /// Forgets `user`'s list (the user went offline).
  void erase(const std::string& user);

  /// Returns whether `user` has a list.
  bool has(const std::string& user) const;

  /// Calls `f(name)` for every contact of `user`, in id order.
  template<class F>
  void each(const std::string& user, F&& f) const {
    auto i = ids_.find(user);
    if (i == ids_.end())
      return;
    auto j = lists_.find(i->second);
    if (j == lists_.end())
      return;
    for (auto c : j->second)
      f(names_[c]);
  }

  /// Returns how many contacts `user` has (0 without a list).
  std::size_t size(const std::string& user) const;

private:
  /// Returns the id of `name`, interning it if new.
  id intern(const std::string& name);
  /// Inserts `c` into the sorted `list`; false if it was there.
  static bool insert(std::vector<id>& list, id c);

  std::unordered_map<std::string, id> ids_;
  std::vector<std::string> names_;                ///< by id
  std::unordered_map<id, std::vector<id>> lists_; ///< of online users
};

} // namespace kurir
