#include "tests/support/ws_client.hpp"

#include <catch2/catch.hpp>

namespace kurir::test {

ws_client::ws_client(uint16_t port) : conn_(port) {
  conn_.set_raw();
}

std::string ws_client::http(const std::string& request) {
  conn_.send(request);
  std::string res;
  for (;;) {
    auto got = conn_.read_raw();
    if (got.empty())
      return res;
    res += got;
  }
}

void ws_client::upgrade(const std::string& extra) {
  conn_.send(ws_upgrade_request("127.0.0.1", extra));
  while (in_.find("\r\n\r\n") == std::string::npos) {
    auto got = conn_.read_raw();
    REQUIRE_FALSE(got.empty());
    in_ += got;
  }
  auto end = in_.find("\r\n\r\n") + 4;
  REQUIRE(in_.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0) == 0);
  in_.erase(0, end);
}

std::optional<ws_server_frame> ws_client::next_ws(int timeout_ms) {
  while (pending_.empty()) {
    for (auto& f : ws_read(in_))
      pending_.push_back(std::move(f));
    if (!pending_.empty())
      break;
    auto got = conn_.read_raw(timeout_ms);
    if (got.empty())
      return std::nullopt;
    in_ += got;
  }
  auto f = std::move(pending_.front());
  pending_.pop_front();
  return f;
}

std::string ws_client::next(int timeout_ms) {
  while (head_ == frames_.size()) {
    auto f = next_ws(timeout_ms);
    if (!f)
      return {};
    if (f->opcode == 0x8) {
      close_code_ = f->close_code();
      return {};
    }
    if (f->opcode == 0x9) { // a ping: answered as a browser would
      conn_.send(ws_frame(0xA, f->payload));
      continue;
    }
    auto res = net::decode(decoder_, f->payload, 1 << 20);
    for (auto& raw : res.frames)
      frames_.push_back(std::move(raw));
  }
  return std::move(frames_[head_++]);
}

std::vector<std::string> ws_client::call(const std::string& frame) {
  auto token = "w" + std::to_string(++token_);
  send_text(frame + ";");
  send_text("--ping--|" + token + ";");
  std::vector<std::string> out;
  for (;;) {
    auto f = next();
    if (f.empty())
      FAIL("no pong " << token << " (closed with " << close_code_ << ")");
    if (f == "--pong--|" + token)
      return out;
    out.push_back(std::move(f));
  }
}

void ws_client::register_and_login(const std::string& name,
                                   const std::string& pw) {
  REQUIRE(call("--register--|" + name + "|" + pw)
          == std::vector<std::string>{"--ok--|register|" + name});
  REQUIRE(call("--login--|" + name + "|" + pw)
          == std::vector<std::string>{"--ok--|login|" + name});
}

bool ws_client::closed_by_peer(int timeout_ms) {
  while (!conn_.at_eof()) {
    auto got = conn_.read_raw(timeout_ms);
    if (got.empty())
      break;
    in_ += got;
  }
  for (auto& f : ws_read(in_))
    pending_.push_back(std::move(f));
  for (auto& f : pending_)
    if (f.opcode == 0x8)
      close_code_ = f.close_code();
  return conn_.at_eof();
}

} // namespace kurir::test
