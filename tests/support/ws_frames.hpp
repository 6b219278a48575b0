#pragma once

// WebSocket frames written by hand for tests (RFC 6455 section 5.2):
// what a client sends, well-formed or not, and a reader of what the server
// sends. No library, so tests can build frames no library would.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kurir::test {

/// One frame as a client sends it: `masked` (clients must), `fin` clear
/// for all but a message's last fragment.
std::string ws_frame(uint8_t opcode, std::string_view payload,
                     bool masked = true, bool fin = true);

/// A masked text message in one frame.
inline std::string ws_text(std::string_view payload) {
  return ws_frame(0x1, payload);
}

/// One frame the server sent.
struct ws_server_frame {
  uint8_t opcode = 0;
  bool fin = true;
  std::string payload;

  /// The close code of a close frame (0 if none).
  uint16_t close_code() const;
};

/// Takes whole frames off the front of `bytes`; leaves a partial one.
std::vector<ws_server_frame> ws_read(std::string& bytes);

/// A GET /ws upgrade request; `extra` header lines end in CRLF.
std::string ws_upgrade_request(std::string_view host = "127.0.0.1",
                               std::string_view extra = {});

} // namespace kurir::test
