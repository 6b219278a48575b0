// The plain (script) output format. README.md documents it; change both.

#include "client/terminal/format.hpp"

#include <vector>

namespace kurir::client {

namespace {

std::string line(std::initializer_list<std::string> fields) {
  std::string out;
  for (const auto& f : fields) {
    if (!out.empty())
      out += '\t';
    out += plain_escape(f);
  }
  return out + "\n";
}

std::string line(const std::string& tag, const std::vector<std::string>& f) {
  std::string out = tag;
  for (const auto& x : f)
    out += "\t" + plain_escape(x);
  return out + "\n";
}

std::string delivery_line(const std::string& tag, const delivery& d) {
  return line({tag, std::to_string(d.id), std::to_string(d.seq),
               std::to_string(d.ts_ms), d.from, d.to, d.body});
}

std::string field(const event& e, std::size_t i) {
  return i < e.fields.size() ? e.fields[i] : std::string{};
}

std::string status_line(const event& e) {
  switch (e.kind) {
    case event_kind::connected: return line("connected", e.fields);
    case event_kind::disconnected: return line("disconnected", e.fields);
    case event_kind::reconnecting: return line("reconnecting", e.fields);
    case event_kind::registered: return line({"ok", "register", field(e, 0)});
    case event_kind::logged_in: return line({"ok", "login", field(e, 0)});
    case event_kind::backlog_done: return line("backlog", e.fields);
    case event_kind::fatal: return line("fatal", e.fields);
    default: return {};
  }
}

} // namespace

std::string plain_escape(const std::string& field) {
  std::string out;
  out.reserve(field.size());
  for (char c : field) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\0': out += "\\0"; break;
      default: out += c;
    }
  }
  return out;
}

std::string plain_format(const event& e) {
  switch (e.kind) {
    case event_kind::message: return delivery_line("msg", e.msg);
    case event_kind::history_item: return delivery_line("hist", e.msg);
    case event_kind::history_done:
      return line({"ok", "history", field(e, 0), field(e, 1)});
    case event_kind::sent:
      return line({"sent", field(e, 0), field(e, 1), field(e, 2), field(e, 3)});
    case event_kind::presence: return line("presence", e.fields);
    case event_kind::group_event: return line("group", e.fields);
    case event_kind::who: return line({"who", field(e, 0)});
    case event_kind::groups: return line({"groups", field(e, 0)});
    case event_kind::members:
      return line({"members", field(e, 0), field(e, 1), field(e, 2)});
    case event_kind::ok: return line("ok", e.fields);
    case event_kind::error:
      return line({"error", field(e, 0), field(e, 1), field(e, 2)});
    case event_kind::help: {
      std::string out;
      for (const auto& l : e.fields)
        out += line({"help", l});
      return out;
    }
    case event_kind::finished: return {};
    default: return status_line(e);
  }
}

} // namespace kurir::client
