#include "actors/group/fanout.hpp"

namespace kurir {

std::vector<std::string> senders_of(const persistence::message_list& msgs) {
  std::vector<std::string> out;
  for (const auto& m : msgs)
    if (out.empty() || out.back() != m.from) // a commit's runs share a sender
      out.push_back(m.from);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

persistence::message_list without(const persistence::message_list& msgs,
                                  const std::string& user) {
  persistence::message_list out;
  for (const auto& m : msgs)
    if (m.from != user)
      out.push_back(m);
  return out;
}

} // namespace kurir
