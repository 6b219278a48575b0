#pragma once

// The server side of one WebSocket connection after the upgrade (RFC 6455):
// Debian's wslay does the framing over memory buffers, so bytes come in and
// go out as strings and no socket is touched. Pure and fuzzable.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

struct wslay_event_context;
struct wslay_event_on_msg_recv_arg;

namespace kurir::net {

/// Close codes kurir sends (RFC 6455 section 7.4.1).
enum class ws_close : uint16_t {
  normal = 1000,         ///< the session ended (logout, an error that closes)
  going_away = 1001,     ///< the broker shuts down
  protocol_error = 1002, ///< a malformed or unmasked frame
  unsupported = 1003,    ///< a binary message: kurir frames are text
  bad_data = 1007,       ///< a text message that is not UTF-8
  too_big = 1009,        ///< a message past the frame limit
};

/// One WebSocket connection's framing.
class ws_stream {
public:
  /// What one `feed` produced.
  struct result {
    std::string out;                ///< bytes to write (pongs, a close)
    std::vector<std::string> texts; ///< text messages received, in order
    bool closed = false; ///< a close was sent: write `out`, then close
    uint16_t code = 0;   ///< the close code, when `closed`
    std::string detail;  ///< why it closed, in words
  };

  /// A stream that takes messages of at most `max_message` bytes.
  explicit ws_stream(std::size_t max_message);
  ~ws_stream();
  ws_stream(const ws_stream&) = delete;
  ws_stream& operator=(const ws_stream&) = delete;

  /// Raises (or lowers) the largest message taken.
  void set_max_message(std::size_t n);

  /// Takes bytes from the client; answers pings and closes itself.
  result feed(std::string_view bytes);

  /// Returns the bytes of one message carrying `payload`: a text message,
  /// or a binary one if `payload` is not UTF-8 (bodies are bytes).
  std::string send(std::string_view payload);

  /// Returns the bytes of a close frame (nothing if one was sent).
  std::string close(ws_close code, std::string_view reason);

  /// Returns whether a close frame was sent.
  bool closed() const;

private:
  static ssize_t on_recv(wslay_event_context*, uint8_t* buf, std::size_t len,
                         int, void* self);
  static ssize_t on_send(wslay_event_context*, const uint8_t* data,
                         std::size_t len, int, void* self);
  static void on_message(wslay_event_context*,
                         const wslay_event_on_msg_recv_arg* arg, void* self);
  std::string flush();

  wslay_event_context* ctx_ = nullptr;
  std::string_view in_;            ///< what `feed` has not handed over
  std::string out_;                ///< what wslay wrote
  std::vector<std::string> texts_; ///< messages of the current feed
  std::string detail_;             ///< why we closed
  bool broken_ = false;            ///< wslay failed: no more calls
};

} // namespace kurir::net
