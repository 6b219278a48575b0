#include "client/terminal/completion.hpp"

#include <algorithm>

#include "client/terminal/commands.hpp"

namespace kurir::client {

namespace {

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::size_t common_prefix(const std::vector<std::string>& xs) {
  std::size_t n = xs.front().size();
  for (const auto& x : xs) {
    std::size_t i = 0;
    while (i < n && i < x.size() && x[i] == xs.front()[i])
      ++i;
    n = i;
  }
  return n;
}

} // namespace

completion complete(std::string_view before_cursor,
                    const std::set<std::string>& names) {
  auto start = before_cursor.find_last_of(" \t");
  auto word_start = start == std::string_view::npos ? 0 : start + 1;
  auto word = before_cursor.substr(word_start);
  bool first = before_cursor.find_first_not_of(" \t") >= word_start;
  std::vector<std::string> matches;
  if (first && !word.empty() && word.front() == '/') {
    for (const auto& c : command_names())
      if (starts_with(c, word))
        matches.push_back(c);
  } else {
    for (const auto& n : names)
      if (starts_with(n, word))
        matches.push_back(n);
  }
  completion out;
  if (matches.empty())
    return out;
  std::sort(matches.begin(), matches.end());
  if (matches.size() == 1) {
    out.insert = matches.front().substr(word.size()) + " ";
    return out;
  }
  out.insert
    = matches.front().substr(word.size(), common_prefix(matches) - word.size());
  out.candidates = std::move(matches);
  return out;
}

} // namespace kurir::client
