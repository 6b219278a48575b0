#include "net/encode.hpp"

#include "net/frame.hpp"

namespace kurir::net {

namespace {

/// Appends `|` and the escaped `field` to `out`.
void append_field(std::string& out, std::string_view field) {
  out += '|';
  out += escape(field);
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

std::string encode_error(errc code, std::string_view text) {
  std::string out = "--error--";
  append_field(out, to_wire(code));
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

std::string encode_message(std::string_view tag, const delivery_fields& d) {
  std::string out{tag};
  append_field(out, std::to_string(d.id));
  append_field(out, std::to_string(d.seq));
  append_field(out, std::to_string(d.ts_ms));
  append_field(out, d.from);
  append_field(out, d.to);
  append_field(out, d.body);
  out += ';';
  return out;
}

} // namespace kurir::net
