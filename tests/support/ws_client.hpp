#pragma once

// A WebSocket client of the web port for tests: the upgrade, masked text
// messages, and protocol 2's frames read out of the server's messages.
// Over TLS when the harness runs the suite over TLS.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "net/frame.hpp"
#include "tests/support/harness.hpp"
#include "tests/support/ws_frames.hpp"

namespace kurir::test {

/// One connection to a web port.
class ws_client {
public:
  /// Connects to 127.0.0.1:`port`; nothing is sent yet.
  explicit ws_client(uint16_t port);

  /// Sends a request and returns the response, read until the server
  /// closes (every answer but the upgrade closes).
  std::string http(const std::string& request);

  /// Upgrades at /ws with `extra` header lines; REQUIREs a 101.
  void upgrade(const std::string& extra = {});

  /// Sends raw bytes (frames of any shape).
  void send_raw(const std::string& bytes) { conn_.send(bytes); }

  /// Sends one masked text message.
  void send_text(const std::string& payload) { conn_.send(ws_text(payload)); }

  /// Returns the next WebSocket frame from the server, or none if the
  /// connection closed or nothing came within `timeout_ms`.
  std::optional<ws_server_frame> next_ws(int timeout_ms = 10000);

  /// Returns the next protocol frame (without `;`) from the server's
  /// messages; "" if none came. Answers pings; a close ends it.
  std::string next(int timeout_ms = 10000);

  /// Sends `frame` (`;` appended) in one message, then a ping, and returns
  /// every frame before the pong.
  std::vector<std::string> call(const std::string& frame);

  /// Registers and logs in; REQUIREs both.
  void register_and_login(const std::string& name, const std::string& pw);

  /// The close code the server sent (0: none yet).
  uint16_t close_code() const { return close_code_; }

  /// Reads until the server closes; returns whether it did in time.
  bool closed_by_peer(int timeout_ms = 10000);

private:
  client conn_;
  std::string in_;                      ///< bytes not yet a whole frame
  std::deque<ws_server_frame> pending_; ///< whole frames not yet taken
  net::decoder_state decoder_;
  std::vector<std::string> frames_;
  std::size_t head_ = 0;
  uint16_t close_code_ = 0;
  int token_ = 0;
};

} // namespace kurir::test
