// The human format of the interactive front end.

#include "client/terminal/format.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "client/terminal/session.hpp"

namespace kurir::client {

namespace {

constexpr const char* reset = "\x1b[0m";
constexpr const char* dim = "\x1b[2m";
constexpr const char* bold = "\x1b[1m";
constexpr const char* red = "\x1b[31m";
constexpr const char* yellow = "\x1b[33m";
constexpr const char* cyan = "\x1b[36m";

/// Wraps `text` in `code` ... reset when colours are on.
std::string paint(const std::string& text, const char* code,
                  const pretty_options& o) {
  return o.colour ? code + text + reset : text;
}

/// A stable colour per name, so each sender keeps theirs.
const char* colour_of(const std::string& name) {
  static constexpr const char* palette[]
    = {"\x1b[1;31m", "\x1b[1;32m", "\x1b[1;33m",
       "\x1b[1;34m", "\x1b[1;35m", "\x1b[1;36m"};
  unsigned h = 0;
  for (unsigned char c : name)
    h = h * 31 + c;
  return palette[h % 6];
}

/// Makes message text safe for a terminal: no control characters; each
/// newline continues on a new line indented under the text.
std::string sanitise(const std::string& body, std::size_t indent) {
  std::string out;
  for (unsigned char c : body) {
    if (c == '\n')
      out += "\n" + std::string(indent, ' ');
    else if (c < 0x20 || c == 0x7f)
      out += '?';
    else
      out += static_cast<char>(c);
  }
  return out;
}

std::string chat_line(int64_t ts_ms, const std::string& conv,
                      const std::string& from, const std::string& body,
                      const pretty_options& o) {
  auto head_len = 5 + 3 + conv.size() + 3 + from.size() + 1;
  return paint(clock_of(ts_ms), dim, o) + " " + paint("[" + conv + "]", cyan, o)
         + " " + paint("<" + from + ">", o.colour ? colour_of(from) : "", o)
         + " " + sanitise(body, head_len);
}

std::string info(const std::string& text, const pretty_options& o) {
  return paint("-- " + text, dim, o);
}

std::string field(const event& e, std::size_t i) {
  return i < e.fields.size() ? e.fields[i] : std::string{};
}

std::string listed(const std::string& list, const std::string& none) {
  if (list.empty())
    return none;
  std::string out;
  for (char c : list)
    out += c == ',' ? std::string{", "} : std::string(1, c);
  return out;
}

/// "you were added to team by alice", "you left team", ...
std::string group_text(const event& e) {
  auto group = field(e, 0);
  bool added = field(e, 1) == "added";
  auto by = field(e, 2);
  if (by.empty())
    return "-- you " + std::string{added ? "created " : "left "} + group;
  return "-- you were " + std::string{added ? "added to " : "removed from "}
         + group + " by " + by;
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
    .count();
}

std::string ok_text(const event& e) {
  auto cmd = field(e, 0);
  auto a = field(e, 1);
  auto b = field(e, 2);
  if (cmd == "create")
    return "created group " + a + " (you own it)";
  if (cmd == "add")
    return "added " + b + " to " + a;
  if (cmd == "remove")
    return "removed " + b + " from " + a;
  if (cmd == "leave")
    return "you left " + a;
  if (cmd == "logout")
    return "logged out";
  if (cmd == "query")
    return "talking to " + a + " (lines without / go to them)";
  if (cmd == "join")
    return "talking in " + a + " (lines without / go to the group)";
  return cmd + " " + a;
}

std::string status_text(const event& e, const pretty_options& o) {
  switch (e.kind) {
    case event_kind::connected:
      return info("connected to " + field(e, 0) + ":" + field(e, 1), o);
    case event_kind::disconnected:
      return paint("-- disconnected: " + field(e, 0), yellow, o);
    case event_kind::reconnecting: {
      auto ms = std::stoll("0" + field(e, 1));
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.1f", static_cast<double>(ms) / 1000);
      return info("reconnecting in " + std::string{buf} + " s (try "
                    + field(e, 0) + ")",
                  o);
    }
    case event_kind::registered: return info("registered as " + field(e, 0), o);
    case event_kind::logged_in:
      return info("logged in as " + field(e, 0) + "; /help lists commands", o);
    case event_kind::backlog_done:
      return field(e, 0) == "0"
               ? info("no new messages", o)
               : info(field(e, 0)
                        + " message(s) came while you were away "
                          "(above)",
                      o);
    default: return {};
  }
}

std::string reply_text(const event& e, const pretty_options& o) {
  switch (e.kind) {
    case event_kind::history_done:
      return info("end of history with " + field(e, 0) + " (" + field(e, 1)
                    + " messages)",
                  o);
    case event_kind::presence:
      return paint("-- " + field(e, 0) + " is " + field(e, 1), yellow, o);
    case event_kind::group_event: return paint(group_text(e), yellow, o);
    case event_kind::who:
      return info("online: " + listed(field(e, 0), "none of your contacts"), o);
    case event_kind::groups:
      return info("your groups: " + listed(field(e, 0), "none"), o);
    case event_kind::members:
      return info(field(e, 0) + ": owner "
                    + (field(e, 1).empty() ? "none" : field(e, 1))
                    + "; members " + listed(field(e, 2), "none"),
                  o);
    case event_kind::ok: return info(ok_text(e), o);
    case event_kind::error: {
      auto ctx = field(e, 2).empty() ? "" : field(e, 2) + ": ";
      return paint("!! " + ctx + field(e, 1), red, o);
    }
    case event_kind::fatal: return paint("!! " + field(e, 1), red, o);
    default: return status_text(e, o);
  }
}

} // namespace

std::string clock_of(int64_t unix_ms) {
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%02d:%02d", tm.tm_hour, tm.tm_min);
  return buf;
}

std::string pretty_format(const event& e, const pretty_options& o) {
  switch (e.kind) {
    case event_kind::message:
    case event_kind::history_item:
      return chat_line(e.msg.ts_ms, conversation_of(e.msg, o.self), e.msg.from,
                       e.msg.body, o);
    case event_kind::sent:
      return chat_line(now_ms(), field(e, 3), o.self, field(e, 4), o);
    case event_kind::help: {
      std::string out = paint("commands:", bold, o);
      for (const auto& l : e.fields)
        out += "\n  " + l;
      return out;
    }
    case event_kind::finished: return {};
    default: return reply_text(e, o);
  }
}

} // namespace kurir::client
