// libFuzzer target for the TLS-to-frame path: what the conn broker of the
// TLS port does with bytes (tls_stream::feed, then net::decode). Built by
// scripts/fuzz with clang. The first byte picks one of two worlds:
//
// - even: the input is what a hostile peer sends to a fresh server stream,
//   in chunks the input picks. No handshake can complete from bytes alone,
//   so no plaintext may ever come out, and a failure must be final.
// - odd: a real client and server stream shake hands in memory; then the
//   client writes the rest of the input as plaintext, in pieces the input
//   picks, the records travel in chunks the input picks, and one byte of
//   them may be flipped. Intact, the server yields exactly what was
//   written; damaged, it fails (records are authenticated), or waits for
//   bytes a damaged length announced, and yields at most a prefix of it. Either
//   way what it yields decodes into frames within the frame limit.
//
// The certificate is made once per process (tests/support/test_certs).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "net/frame.hpp"
#include "net/tls/tls.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certs.hpp"

namespace {

using kurir::net::tls_context;
using kurir::net::tls_stream;

void check(bool ok) {
  if (!ok)
    std::abort();
}

struct contexts {
  std::shared_ptr<const tls_context> server;
  std::shared_ptr<const tls_context> client;
};

const contexts& world() {
  static const contexts c = [] {
    kurir::test::temp_dir dir;
    kurir::test::test_ca ca{dir.path()};
    auto cert = ca.issue("server");
    auto s = tls_context::make_server({cert.cert, cert.key, "", "1.2"});
    auto cl = tls_context::make_client({ca.files().cert, true, ""});
    check(s && cl);
    return contexts{*s, *cl};
  }();
  return c;
}

/// Decodes the server's plaintext the way the conn broker does.
void decode_all(std::string_view plain) {
  kurir::net::decoder_state st;
  auto res = kurir::net::decode(st, plain, 4096);
  for (auto& f : res.frames)
    check(f.size() <= 4096);
  check(st.partial.size() <= 4096);
}

void hostile_peer(std::string_view in, std::size_t chunk) {
  tls_stream server{world().server};
  std::string plain;
  bool failed = false;
  for (std::size_t off = 0; off < in.size(); off += chunk) {
    auto ok = server.feed(in.substr(off, chunk), plain);
    check(!(failed && ok)); // a failure is final
    failed = failed || !ok;
    server.take_output();
  }
  check(plain.empty() && !server.established());
}

/// Moves the client's output to the server in `chunk`-byte pieces, with
/// the byte at `flip` (counted over the whole run) inverted.
bool carry(tls_stream& from, tls_stream& to, std::string& plain,
           std::size_t chunk, std::size_t& seen, std::size_t flip) {
  auto bytes = from.take_output();
  if (flip >= seen && flip < seen + bytes.size())
    bytes[flip - seen] = static_cast<char>(~bytes[flip - seen]);
  seen += bytes.size();
  bool ok = true;
  for (std::size_t off = 0; off < bytes.size() && ok; off += chunk)
    ok = to.feed(std::string_view{bytes}.substr(off, chunk), plain);
  return ok;
}

void real_session(std::string_view in, std::size_t chunk, std::size_t piece,
                  bool damage, std::size_t flip_at) {
  tls_stream server{world().server};
  tls_stream client{world().client, "127.0.0.1"};
  std::string at_server;
  std::string at_client;
  std::size_t seen = 0;
  std::size_t flip = damage ? flip_at : SIZE_MAX; // counted from 0 below
  bool server_ok = true;
  for (int i = 0; i < 8 && !client.established(); ++i) {
    server_ok = carry(client, server, at_server, 4096, seen, SIZE_MAX);
    check(server_ok && client.feed(server.take_output(), at_client));
  }
  check(client.established());
  seen = 0; // `flip` counts the bytes after the handshake
  for (std::size_t off = 0; off < in.size() && server_ok; off += piece) {
    check(client.write(in.substr(off, piece)));
    server_ok = carry(client, server, at_server, chunk, seen, flip);
  }
  auto written = in.substr(0, std::min(in.size(), at_server.size()));
  check(at_server == written); // never a byte that was not sent
  auto flipped = flip < seen;
  if (!flipped)
    check(server_ok && at_server == in); // intact: everything arrived
  else
    check(server_ok || !server.error().empty()); // failed, or waits for more
  decode_all(at_server);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 4)
    return 0;
  auto chunk = static_cast<std::size_t>(data[1] % 64) + 1;
  std::string_view rest{reinterpret_cast<const char*>(data) + 4, size - 4};
  if (data[0] % 2 == 0) {
    hostile_peer(rest, chunk);
    return 0;
  }
  auto piece = static_cast<std::size_t>(data[2] % 32) + 1;
  auto damage = (data[0] & 2) != 0;
  auto flip_at = static_cast<std::size_t>(data[3]) * 7;
  real_session(rest, chunk, piece, damage, flip_at);
  return 0;
}
