#pragma once

// One connection of the web port, from its first byte: an HTTP request
// (answered with a file of the web client, an error, or the upgrade at
// /ws), then WebSocket messages that carry protocol 2's frames. Pure: the
// conn broker hands it bytes and writes what it returns.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/web/handshake.hpp"
#include "net/web/ws_stream.hpp"

namespace kurir::net {

/// The web port's byte path of one connection.
class web_stream {
public:
  /// What one `feed` produced.
  struct result {
    std::string out;                ///< bytes to write
    std::vector<std::string> texts; ///< kurir bytes received (after /ws)
    bool upgraded = false;          ///< the WebSocket began with this feed
    bool close = false;             ///< write `out`, then close the connection
    int status = 0;                 ///< the HTTP status answered (0: none yet)
    uint16_t ws_code = 0;           ///< the close code sent, after the upgrade
    std::string detail;             ///< why it closes, for the log
  };

  /// A connection taking upgrades from `origins`, messages up to
  /// `max_message` bytes.
  web_stream(web_origins origins, std::size_t max_message);

  /// Takes bytes from the client.
  result feed(std::string_view bytes);

  /// Returns the bytes carrying `frames` to the client (after the upgrade).
  std::string send(std::string_view frames);

  /// Returns a close frame (after the upgrade; before it, nothing).
  std::string close(ws_close code, std::string_view reason);

  /// Returns a 408 answer if the request is still incomplete, else "".
  std::string timeout();

  /// Returns whether the WebSocket is open.
  bool upgraded() const { return ws_ != nullptr; }

  /// Sets the largest message taken (the frame limit plus its slack).
  void set_max_message(std::size_t n);

private:
  result on_head(std::string_view rest);

  web_origins origins_;
  std::size_t max_message_;
  std::string head_;              ///< the request head so far
  bool answered_ = false;         ///< an HTTP answer that closes was sent
  std::unique_ptr<ws_stream> ws_; ///< after the upgrade
};

} // namespace kurir::net
