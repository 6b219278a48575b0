#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace kurir {

/// Live sessions by user: user name -> the sessions serving them. A session
/// serves at most one user. The registry keeps one for everyone online, each
/// group one for its members. Plain data structure, testable without actors.
template<class Handle>
class directory {
public:
  /// Marks `h` as serving `user`; a session moving users leaves the old one.
  void add(const std::string& user, const Handle& h) {
    remove(h);
    sessions_[user].push_back(h);
    users_[h] = user;
  }

  /// Forgets `h`; returns the user it served, or an empty string.
  std::string remove(const Handle& h) {
    auto i = users_.find(h);
    if (i == users_.end())
      return {};
    auto user = i->second;
    users_.erase(i);
    auto j = sessions_.find(user);
    auto& vec = j->second;
    vec.erase(std::remove(vec.begin(), vec.end(), h), vec.end());
    if (vec.empty())
      sessions_.erase(j);
    return user;
  }

  /// Returns the sessions serving `user` (empty if offline).
  const std::vector<Handle>& find(const std::string& user) const {
    static const std::vector<Handle> none;
    auto i = sessions_.find(user);
    return i == sessions_.end() ? none : i->second;
  }

  /// Returns the user that `h` serves, or an empty string.
  std::string user_of(const Handle& h) const {
    auto i = users_.find(h);
    return i == users_.end() ? std::string{} : i->second;
  }

  /// Calls `f(handle, user)` for every session, in handle order.
  template<class F>
  void each(F&& f) const {
    for (const auto& [h, user] : users_)
      f(h, user);
  }

  /// Returns how many users are online.
  std::size_t online_users() const { return sessions_.size(); }

  /// Returns how many sessions are logged in.
  std::size_t sessions() const { return users_.size(); }

private:
  std::unordered_map<std::string, std::vector<Handle>> sessions_;
  std::map<Handle, std::string> users_;
};

} // namespace kurir
