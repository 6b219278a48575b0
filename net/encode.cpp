#include "net/encode.hpp"

#include <charconv>

#include "net/frame.hpp"

namespace kurir::net {

namespace {

/// Appends `|` and the escaped `field` to `out`.
void append_field(std::string& out, std::string_view field) {
  out += '|';
  auto plain = field.find_first_of(";|\\");
  if (plain == std::string_view::npos) { // the usual case: nothing to escape
    out += field;
    return;
  }
  out += field.substr(0, plain);
  out += escape(field.substr(plain));
}

/// Appends `|` and the decimal `value` to `out`.
void append_number(std::string& out, int64_t value) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), value);
  out += '|';
  out.append(buf, res.ptr);
}

} // namespace

std::string encode_ok(std::string_view command,
                      const std::vector<std::string>& details) {
  std::string out = "--ok--";
  append_field(out, command);
  for (const auto& detail : details)
    append_field(out, detail);
  out += ';';
  return out;
}

std::string encode_error(errc code, std::string_view text, int protocol) {
  std::string out = "--error--";
  append_field(out, to_wire(code_for(code, protocol)));
  append_field(out, text.empty() ? default_text(code) : text);
  out += ';';
  return out;
}

std::string encode_ping(std::string_view token) {
  std::string out = "--ping--";
  append_field(out, token);
  out += ';';
  return out;
}

std::string encode_pong(std::string_view token) {
  std::string out = "--pong--";
  if (!token.empty())
    append_field(out, token);
  out += ';';
  return out;
}

std::string encode_delivery(const delivery_fields& d) {
  return encode_message("--msg--", d);
}

std::string encode_history(const delivery_fields& d) {
  return encode_message("--hist--", d);
}

std::string encode_presence(std::string_view user, bool online) {
  std::string out = "--presence--";
  append_field(out, user);
  append_field(out, online ? "online" : "offline");
  out += ';';
  return out;
}

std::string encode_group_event(std::string_view group, bool added,
                               std::string_view by) {
  std::string out = "--group--";
  append_field(out, group);
  append_field(out, added ? "added" : "removed");
  append_field(out, by);
  out += ';';
  return out;
}

std::string encode_message(std::string_view tag, const delivery_fields& d) {
  std::string out;
  append_message(tag, d, out);
  return out;
}

void append_message(std::string_view tag, const delivery_fields& d,
                    std::string& out) {
  out.reserve(out.size() + tag.size() + d.from.size() + d.to.size()
              + d.body.size() + 72);
  out += tag;
  append_number(out, d.id);
  append_number(out, d.seq);
  append_number(out, d.ts_ms);
  append_field(out, d.from);
  append_field(out, d.to);
  append_field(out, d.body);
  out += ';';
}

void append_delivery(const delivery_fields& d, std::string& out) {
  append_message("--msg--", d, out);
}

} // namespace kurir::net
