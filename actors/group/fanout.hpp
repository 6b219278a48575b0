#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "actors/directory.hpp"
#include "proto/records.hpp"

namespace kurir {

/// Returns the senders of `msgs`, sorted and unique.
std::vector<std::string> senders_of(const persistence::message_list& msgs);

/// Returns `msgs` without what `user` sent, in order.
persistence::message_list without(const persistence::message_list& msgs,
                                  const std::string& user);

/// Hands one commit's messages of a group to every session in `live`, in
/// handle order: a session whose user sent none of them gets `msgs` itself
/// through `shared(handle)` (one list for all of them), a sender's session
/// gets the list without its own messages through `own(handle, list)`, or
/// nothing if none are left. Plain logic, testable without actors.
template<class Handle, class Shared, class Own>
void fan_out(const directory<Handle>& live,
             const persistence::message_list& msgs, Shared&& shared,
             Own&& own) {
  auto senders = senders_of(msgs);
  std::map<std::string, persistence::message_list> trimmed; // per sender
  live.each([&](const Handle& h, const std::string& user) {
    if (!std::binary_search(senders.begin(), senders.end(), user))
      return shared(h);
    auto [i, fresh] = trimmed.try_emplace(user);
    if (fresh)
      i->second = without(msgs, user);
    if (!i->second.empty())
      own(h, i->second);
  });
}

} // namespace kurir
