#include "tests/support/ws_frames.hpp"

namespace kurir::test {

std::string ws_frame(uint8_t opcode, std::string_view payload, bool masked,
                     bool fin) {
  std::string res;
  res += static_cast<char>((fin ? 0x80 : 0) | opcode);
  auto mask_bit = masked ? 0x80 : 0;
  auto n = payload.size();
  if (n < 126) {
    res += static_cast<char>(mask_bit | n);
  } else if (n < 65536) {
    res += static_cast<char>(mask_bit | 126);
    res += static_cast<char>(n >> 8);
    res += static_cast<char>(n & 0xff);
  } else {
    res += static_cast<char>(mask_bit | 127);
    for (int i = 7; i >= 0; --i)
      res += static_cast<char>((static_cast<uint64_t>(n) >> (8 * i)) & 0xff);
  }
  const char key[4] = {0x12, 0x34, 0x56, 0x78};
  if (masked)
    res.append(key, 4);
  for (std::size_t i = 0; i < n; ++i)
    res += masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
  return res;
}

uint16_t ws_server_frame::close_code() const {
  if (opcode != 0x8 || payload.size() < 2)
    return 0;
  return static_cast<uint16_t>((static_cast<uint8_t>(payload[0]) << 8)
                               | static_cast<uint8_t>(payload[1]));
}

std::vector<ws_server_frame> ws_read(std::string& bytes) {
  std::vector<ws_server_frame> res;
  for (;;) {
    if (bytes.size() < 2)
      return res;
    auto b0 = static_cast<uint8_t>(bytes[0]);
    auto b1 = static_cast<uint8_t>(bytes[1]);
    std::size_t pos = 2;
    uint64_t n = b1 & 0x7f;
    std::size_t ext = n == 126 ? 2 : n == 127 ? 8 : 0;
    if (bytes.size() < pos + ext)
      return res;
    if (ext > 0) {
      n = 0;
      for (std::size_t i = 0; i < ext; ++i)
        n = (n << 8) | static_cast<uint8_t>(bytes[pos + i]);
      pos += ext;
    }
    if (bytes.size() < pos + n)
      return res;
    ws_server_frame f;
    f.opcode = b0 & 0x0f;
    f.fin = (b0 & 0x80) != 0;
    f.payload = bytes.substr(pos, n);
    res.push_back(std::move(f));
    bytes.erase(0, pos + n);
  }
}

std::string ws_upgrade_request(std::string_view host, std::string_view extra) {
  std::string res = "GET /ws HTTP/1.1\r\nHost: ";
  res += host;
  res += "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
         "Sec-WebSocket-Version: 13\r\n";
  res += extra;
  res += "\r\n";
  return res;
}

} // namespace kurir::test
