#include "client/core/frames.hpp"

#include <charconv>

namespace kurir::client_core {

namespace {

/// The fields a frame of kind `k` is split into at most.
std::size_t field_limit(frame_kind k) {
  switch (k) {
    case frame_kind::msg:
    case frame_kind::hist: return 7;
    case frame_kind::error:
    case frame_kind::presence: return 3;
    case frame_kind::group: return 4;
    case frame_kind::pong:
    case frame_kind::ping: return 2;
    default: return max_fields;
  }
}

/// Returns the end of the field that starts at `pos`: the next unescaped
/// `|`, or the end of `raw`.
std::size_t field_end(std::string_view raw, std::size_t pos) {
  while (pos < raw.size() && raw[pos] != '|')
    pos += raw[pos] == '\\' && pos + 1 < raw.size() ? 2 : 1;
  return pos;
}

frame_kind kind_of(std::string_view tag) {
  if (tag == "--msg--")
    return frame_kind::msg;
  if (tag == "--ok--")
    return frame_kind::ok;
  if (tag == "--error--")
    return frame_kind::error;
  if (tag == "--pong--")
    return frame_kind::pong;
  if (tag == "--ping--")
    return frame_kind::ping;
  if (tag == "--hist--")
    return frame_kind::hist;
  if (tag == "--presence--")
    return frame_kind::presence;
  if (tag == "--group--")
    return frame_kind::group;
  return frame_kind::other;
}

} // namespace

// -- the broker's frames ------------------------------------------------------

server_frame parse_frame(std::string_view raw) {
  server_frame f;
  f.raw = raw;
  auto end = field_end(raw, 0);
  f.fields[0] = raw.substr(0, end);
  f.count = 1;
  f.kind = kind_of(f.fields[0]);
  auto limit = field_limit(f.kind);
  while (end < raw.size() && f.count < limit) {
    auto start = end + 1;
    end = f.count + 1 == limit ? raw.size() : field_end(raw, start);
    f.fields[f.count++] = raw.substr(start, end - start);
  }
  return f;
}

std::string server_frame::text(std::size_t i) const {
  std::string scratch;
  auto v = unescaped(field(i), scratch);
  return std::string{v};
}

bool server_frame::number(std::size_t i, int64_t& out) const {
  return to_int(field(i), out);
}

bool parse_delivery(const server_frame& f, delivery_view& out) {
  if ((f.kind != frame_kind::msg && f.kind != frame_kind::hist) || f.count != 7)
    return false;
  if (!to_int(f.fields[1], out.id) || !to_int(f.fields[2], out.seq)
      || !to_int(f.fields[3], out.ts_ms))
    return false;
  out.from = f.fields[4];
  out.to = f.fields[5];
  out.body = f.fields[6];
  return true;
}

std::string_view unescaped(std::string_view field, std::string& scratch) {
  auto first = field.find('\\');
  if (first == std::string_view::npos)
    return field;
  scratch.assign(field.substr(0, first));
  for (auto i = first; i < field.size(); ++i) {
    char c = field[i];
    if (c == '\\' && i + 1 < field.size()) {
      char next = field[i + 1];
      if (next != ';' && next != '|' && next != '\\')
        scratch += c; // not an escape: the backslash stays
      scratch += next;
      ++i;
    } else {
      scratch += c;
    }
  }
  return scratch;
}

bool to_int(std::string_view text, int64_t& out) {
  if (text.empty())
    return false;
  auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end;
}

// -- commands -----------------------------------------------------------------

void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    if (c == ';' || c == '|' || c == '\\')
      out += '\\';
    out += c;
  }
}

void append_int(std::string& out, int64_t value) {
  char buf[24];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  out.append(buf, static_cast<std::size_t>(ptr - buf));
}

void put_hello(std::string& out) {
  out += "--hello--|3|ack;";
}

void put_register(std::string& out, std::string_view user,
                  std::string_view password) {
  out += "--register--|";
  append_escaped(out, user);
  out += '|';
  append_escaped(out, password);
  out += ';';
}

void put_login(std::string& out, std::string_view user,
               std::string_view password) {
  out += "--login--|";
  append_escaped(out, user);
  out += '|';
  append_escaped(out, password);
  out += ';';
}

void put_logout(std::string& out) {
  out += "--logout--;";
}

void put_send(std::string& out, std::string_view client_id,
              std::string_view target, std::string_view body) {
  out += "--send--|";
  append_escaped(out, client_id);
  out += '|';
  append_escaped(out, target);
  out += '|';
  append_escaped(out, body);
  out += ';';
}

void put_acks(std::string& out, const int64_t* ids, std::size_t n) {
  for (std::size_t i = 0; i < n; i += max_ack_ids) {
    out += "--ack--";
    auto end = n - i < max_ack_ids ? n : i + max_ack_ids;
    for (auto j = i; j < end; ++j) {
      out += '|';
      append_int(out, ids[j]);
    }
    out += ';';
  }
}

void put_ping(std::string& out, std::string_view token) {
  out += "--ping--|";
  append_escaped(out, token);
  out += ';';
}

void put_pong(std::string& out, std::string_view raw_token) {
  if (raw_token.empty()) {
    out += "--pong--;";
    return;
  }
  out += "--pong--|";
  out += raw_token;
  out += ';';
}

} // namespace kurir::client_core
