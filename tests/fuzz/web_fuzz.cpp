// libFuzzer target for the web port's byte path (net/web/web_stream): the
// HTTP request head and upgrade, then WebSocket frames through wslay, fed
// in chunks chosen by the input. Checks what the conn broker relies on:
// every text handed on is UTF-8 and within the message limit, nothing
// comes after a close, and an answer that closes closes for good.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "net/utf8.hpp"
#include "net/web/web_stream.hpp"

namespace {

constexpr std::size_t max_message = 256;

void check(bool ok) {
  if (!ok)
    std::abort();
}

const std::string upgrade = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            "Sec-WebSocket-Version: 13\r\n\r\n";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 2)
    return 0;
  // The first byte: upgrade first or not; the second: the chunk size.
  bool upgraded_first = data[0] & 1;
  std::size_t chunk = 1 + data[1] % 64;
  std::string_view in{reinterpret_cast<const char*>(data) + 2, size - 2};
  kurir::net::web_stream ws{kurir::net::web_origins{}, max_message};
  if (upgraded_first)
    check(ws.feed(upgrade).upgraded);
  bool closed = false;
  while (!in.empty()) {
    auto n = std::min(chunk, in.size());
    auto res = ws.feed(in.substr(0, n));
    in.remove_prefix(n);
    check(!closed || (res.texts.empty() && res.out.empty()));
    for (auto& t : res.texts) {
      check(t.size() <= max_message);
      check(kurir::net::valid_utf8(t));
    }
    if (res.close)
      closed = true;
    if (ws.upgraded() && !closed)
      ws.send("--pong--;\n"); // the server writes between reads
  }
  return 0;
}
