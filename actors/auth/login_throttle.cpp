#include "actors/auth/login_throttle.hpp"

#include <algorithm>

namespace kurir {

bool login_throttle::refused(const std::string& account,
                             const std::string& address, time_point now) {
  bool by_account = locked(accounts_, account, now);
  bool by_address = !address.empty() && locked(addresses_, address, now);
  return by_account || by_address;
}

void login_throttle::failure(const std::string& account,
                             const std::string& address, time_point now) {
  count(accounts_, account, policy_.max_failures, now);
  if (!address.empty())
    count(addresses_, address, policy_.max_address_failures, now);
}

void login_throttle::success(const std::string& account) {
  accounts_.erase(account);
}

bool login_throttle::locked(table& t, const std::string& key, time_point now) {
  auto i = t.find(key);
  return i != t.end() && now < i->second.locked_until;
}

void login_throttle::count(table& t, const std::string& key, std::size_t limit,
                           time_point now) {
  if (t.size() >= policy_.max_entries)
    purge(t, now);
  auto& r = t[key];
  if (r.strikes > 0 && now >= r.locked_until + policy_.window)
    r.strikes = 0; // quiet for a window after the lock: forgiven
  while (!r.failures.empty() && now - r.failures.front() >= policy_.window)
    r.failures.pop_front();
  r.failures.push_back(now);
  // A failure soon after a lock locks again at once; otherwise the limit
  // within the window does. Each lock lasts twice the one before.
  if (r.strikes == 0 && r.failures.size() < limit)
    return;
  auto lockout = policy_.window * (1u << std::min<std::size_t>(r.strikes, 10));
  r.locked_until = now + std::min<duration>(lockout, policy_.max_lockout);
  ++r.strikes;
}

void login_throttle::purge(table& t, time_point now) {
  for (auto i = t.begin(); i != t.end();) {
    bool stale = now >= i->second.locked_until
                 && (i->second.failures.empty()
                     || now - i->second.failures.back() >= policy_.window);
    i = stale ? t.erase(i) : std::next(i);
  }
  if (t.size() >= policy_.max_entries) // still full: forget the oldest half
    t.clear();
}

} // namespace kurir
