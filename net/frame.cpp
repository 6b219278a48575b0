#include "net/frame.hpp"

namespace kurir::net {

namespace {

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'
         || c == '\v';
}

} // namespace

decode_result decode(decoder_state& st, std::string_view chunk,
                     std::size_t max_frame) {
  decode_result res;
  std::size_t i = 0;
  while (i < chunk.size()) {
    // Between frames: skip whitespace without buffering it.
    if (st.partial.empty()) {
      while (i < chunk.size() && is_space(chunk[i]))
        ++i;
      if (i == chunk.size())
        break;
    }
    // Scan for the next unescaped terminator.
    auto start = i;
    auto escaped = st.escaped;
    while (i < chunk.size() && (escaped || chunk[i] != ';')) {
      escaped = !escaped && chunk[i] == '\\';
      ++i;
    }
    auto piece = chunk.substr(start, i - start);
    if (st.partial.size() + piece.size() > max_frame) {
      res.error = errc::frame_too_large;
      st = decoder_state{};
      return res;
    }
    st.partial.append(piece.data(), piece.size());
    st.escaped = escaped;
    if (i == chunk.size())
      break;
    // chunk[i] is the terminator.
    ++i;
    res.frames.emplace_back(std::move(st.partial));
    st = decoder_state{};
  }
  return res;
}

std::vector<std::string> split_fields(std::string_view raw,
                                      std::size_t max_fields) {
  std::vector<std::string> fields(1);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      char next = raw[i + 1];
      if (next == ';' || next == '|' || next == '\\') {
        fields.back() += next;
      } else {
        fields.back() += c;
        fields.back() += next;
      }
      ++i;
    } else if (c == '|' && fields.size() < max_fields) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    if (c == ';' || c == '|' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

bool looks_like_http(std::string_view first_bytes) {
  for (std::string_view method : {"GET ", "POST ", "HEAD ", "PUT ", "DELETE ",
                                  "OPTIONS ", "PATCH ", "CONNECT ", "PRI * "})
    if (first_bytes.substr(0, method.size()) == method)
      return true;
  return false;
}

bool looks_like_tls(std::string_view first_bytes) {
  return first_bytes.size() >= 3 && first_bytes[0] == '\x16'
         && first_bytes[1] == '\x03'
         && static_cast<unsigned char>(first_bytes[2]) <= 4;
}

std::size_t count_frames(std::string_view bytes) {
  std::size_t n = 0;
  bool escaped = false;
  for (char c : bytes) {
    if (escaped)
      escaped = false;
    else if (c == '\\')
      escaped = true;
    else if (c == ';')
      ++n;
  }
  return n;
}

} // namespace kurir::net
