#include "client/terminal/commands.hpp"

#include <algorithm>
#include <cstddef>

namespace kurir::client {

namespace {

struct command_spec {
  std::string_view name; ///< without the slash
  command_word word;
  std::size_t min_args;
  std::size_t max_args;
  bool rest;              ///< the last argument takes the rest of the line
  std::string_view usage; ///< arguments, for messages and /help
  std::string_view what;  ///< one line for /help
};

constexpr command_spec specs[] = {
  {"msg", command_word::msg, 2, 2, true, "user text", "send text to a user"},
  {"group", command_word::group, 2, 2, true, "name text",
   "send text to a group"},
  {"query", command_word::query, 1, 1, false, "user",
   "talk to a user: lines without / go to them"},
  {"join", command_word::join, 1, 1, false, "group",
   "talk in a group: lines without / go to it"},
  {"history", command_word::history, 0, 1, false, "[n]",
   "the last n (20) messages of the current conversation"},
  {"who", command_word::who, 0, 0, false, "", "your contacts who are online"},
  {"groups", command_word::groups, 0, 0, false, "", "the groups you are in"},
  {"members", command_word::members, 0, 1, false, "[group]",
   "a group's owner and members"},
  {"create", command_word::create, 1, 1, false, "group",
   "create a group that you own"},
  {"add", command_word::add, 2, 2, false, "group user",
   "add a user to your group"},
  {"remove", command_word::remove, 2, 2, false, "group user",
   "remove a user from your group"},
  {"leave", command_word::leave, 1, 1, false, "group", "leave a group"},
  {"logout", command_word::logout, 0, 0, false, "", "log out and exit"},
  {"quit", command_word::quit, 0, 0, false, "",
   "exit once what you sent is confirmed"},
  {"help", command_word::help, 0, 0, false, "", "this list"},
};

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view skip_spaces(std::string_view s) {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  return s;
}

/// Takes the next space-separated word off the front of `s`.
std::string take_word(std::string_view& s) {
  s = skip_spaces(s);
  std::size_t n = 0;
  while (n < s.size() && !is_space(s[n]))
    ++n;
  std::string word{s.substr(0, n)};
  s.remove_prefix(n);
  return word;
}

user_command invalid(const command_spec& spec) {
  user_command out;
  out.word = command_word::invalid;
  out.error = "usage: /" + std::string{spec.name}
              + (spec.usage.empty() ? "" : " ") + std::string{spec.usage};
  return out;
}

user_command parse_args(const command_spec& spec, std::string_view rest) {
  user_command out;
  out.word = spec.word;
  for (std::size_t i = 0; i < spec.max_args; ++i) {
    if (spec.rest && i + 1 == spec.max_args) {
      auto text = skip_spaces(rest);
      if (!text.empty())
        out.args.emplace_back(text);
      rest = {};
      break;
    }
    auto word = take_word(rest);
    if (word.empty())
      break;
    out.args.push_back(std::move(word));
  }
  if (out.args.size() < spec.min_args || !skip_spaces(rest).empty())
    return invalid(spec);
  return out;
}

bool valid_count(const std::string& s) {
  if (s.empty() || s.size() > 4 || !std::all_of(s.begin(), s.end(), [](char c) {
        return c >= '0' && c <= '9';
      }))
    return false;
  auto n = std::stoi(s);
  return n >= 1 && n <= 1000;
}

} // namespace

user_command parse_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
    line.remove_suffix(1);
  if (skip_spaces(line).empty())
    return {};
  if (line.front() != '/' || line.substr(0, 2) == "//") {
    if (line.front() == '/')
      line.remove_prefix(1);
    return {command_word::text, {std::string{line}}, {}};
  }
  auto rest = line.substr(1);
  auto name = take_word(rest);
  for (const auto& spec : specs) {
    if (spec.name != name)
      continue;
    auto out = parse_args(spec, rest);
    if (out.word == command_word::history && !out.args.empty()
        && !valid_count(out.args[0])) {
      out = invalid(spec);
      out.error += " (n is 1 to 1000)";
    }
    return out;
  }
  user_command out;
  out.word = command_word::invalid;
  out.error = "unknown command /" + name + "; /help lists the commands";
  return out;
}

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& spec : specs)
      out.push_back("/" + std::string{spec.name});
    std::sort(out.begin(), out.end());
    return out;
  }();
  return names;
}

const std::vector<std::string>& help_lines() {
  static const std::vector<std::string> lines = [] {
    std::vector<std::string> out;
    for (const auto& spec : specs) {
      auto left = "/" + std::string{spec.name} + " " + std::string{spec.usage};
      left.resize(std::max<std::size_t>(left.size(), 20), ' ');
      out.push_back(left + std::string{spec.what});
    }
    out.emplace_back("text without /      to the current conversation "
                     "(// for a leading /)");
    return out;
  }();
  return lines;
}

} // namespace kurir::client
