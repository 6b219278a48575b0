#include "net/web/handshake.hpp"

#include <openssl/evp.h>

#include "net/web/assets.hpp"

namespace kurir::net {

namespace {

/// RFC 6455's GUID, appended to the client's key before hashing.
constexpr std::string_view ws_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// A key is 16 bytes in base64: 22 characters and "==".
bool valid_key(std::string_view key) {
  if (key.size() != 24 || key.substr(22) != "==")
    return false;
  for (char c : key.substr(0, 22))
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9') || c == '+' || c == '/'))
      return false;
  return true;
}

web_answer error(int code, std::string detail, std::string_view extra = {}) {
  std::string body{http_reason(code)};
  body += ": " + detail + "\n";
  std::string headers{web_security_headers()};
  headers += extra;
  return {
    code,
    http_response(code, "text/plain; charset=utf-8", body, false, headers),
    std::move(detail)};
}

/// The upgrade at /ws, or why not.
web_answer upgrade(const http_head& head, const web_origins& origins) {
  if (head.method != "GET")
    return error(405, "the WebSocket upgrade is a GET");
  if (!head.has_token("upgrade", "websocket")
      || !head.has_token("connection", "upgrade") || head.minor < 1)
    return error(400, "/ws takes a WebSocket upgrade (HTTP/1.1, "
                      "Upgrade: websocket, Connection: Upgrade)");
  if (head.header("sec-websocket-version") != "13")
    return error(426, "this server speaks WebSocket version 13",
                 "Sec-WebSocket-Version: 13\r\n");
  auto key = head.header("sec-websocket-key");
  if (!valid_key(key))
    return error(400, "Sec-WebSocket-Key is not 16 bytes in base64");
  if (!origins.admit(head.header("origin"), head.header("host")))
    return error(403, "origin " + std::string{head.header("origin")}
                        + " may not open a WebSocket here (--web-origin)");
  std::string res = "HTTP/1.1 101 Switching Protocols\r\n"
                    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Accept: ";
  res += ws_accept_key(key);
  res += "\r\n\r\n";
  return {101, std::move(res), {}};
}

} // namespace

web_origins web_origins::parse(std::string_view list) {
  web_origins res;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto one = list.substr(0, comma);
    while (!one.empty() && one.front() == ' ')
      one.remove_prefix(1);
    while (!one.empty() && (one.back() == ' ' || one.back() == '/'))
      one.remove_suffix(1);
    if (!one.empty())
      res.allowed.emplace_back(one);
    list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
  }
  return res;
}

bool web_origins::admit(std::string_view origin, std::string_view host) const {
  if (origin.empty())
    return true; // not a browser: nothing to protect against
  if (!allowed.empty()) {
    for (auto& a : allowed)
      if (ascii_iequal(a, origin))
        return true;
    return false;
  }
  auto sep = origin.find("://");
  if (sep == std::string_view::npos || host.empty())
    return false;
  return ascii_iequal(origin.substr(sep + 3), host);
}

std::string ws_accept_key(std::string_view key) {
  std::string in{key};
  in += ws_guid;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(in.data(), in.size(), digest, &len, EVP_sha1(), nullptr);
  unsigned char out[64];
  auto n = EVP_EncodeBlock(out, digest, static_cast<int>(len));
  return std::string{reinterpret_cast<char*>(out), static_cast<std::size_t>(n)};
}

std::string_view web_security_headers() {
  return "Content-Security-Policy: default-src 'none'; script-src 'self'; "
         "style-src 'self'; img-src 'self'; connect-src 'self'; "
         "base-uri 'none'; form-action 'none'; frame-ancestors 'none'\r\n"
         "X-Content-Type-Options: nosniff\r\n"
         "Referrer-Policy: no-referrer\r\n"
         "Cache-Control: no-cache\r\n";
}

web_answer answer_request(const http_head& head, const web_origins& origins) {
  if (head.path == "/ws")
    return upgrade(head, origins);
  if (head.method != "GET" && head.method != "HEAD")
    return error(405, head.method + " is not served here");
  auto asset = find_web_asset(head.path);
  if (!asset)
    return error(404, "nothing at " + head.path);
  return {200,
          http_response(200, asset->type, asset->body, head.method == "HEAD",
                        web_security_headers()),
          {}};
}

} // namespace kurir::net
