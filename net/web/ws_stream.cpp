#include "net/web/ws_stream.hpp"

#include <cstring>
#include <stdexcept>
#include <utility>

#include <wslay/wslay.h>

#include "net/utf8.hpp"

namespace kurir::net {

namespace {

/// Why wslay closed by itself, in words.
std::string describe(uint16_t code) {
  switch (code) {
    case WSLAY_CODE_MESSAGE_TOO_BIG: return "a message past the frame limit";
    case WSLAY_CODE_PROTOCOL_ERROR: return "a malformed or unmasked frame";
    case WSLAY_CODE_INVALID_FRAME_PAYLOAD_DATA:
      return "a text message that is not UTF-8";
    default: return "closed with code " + std::to_string(code);
  }
}

} // namespace

ws_stream::ws_stream(std::size_t max_message) {
  wslay_event_callbacks cbs{};
  cbs.recv_callback = on_recv;
  cbs.send_callback = on_send;
  cbs.on_msg_recv_callback = on_message;
  if (wslay_event_context_server_init(&ctx_, &cbs, this) != 0)
    throw std::bad_alloc{};
  set_max_message(max_message);
}

ws_stream::~ws_stream() {
  wslay_event_context_free(ctx_);
}

void ws_stream::set_max_message(std::size_t n) {
  wslay_event_config_set_max_recv_msg_length(ctx_, n);
}

ssize_t ws_stream::on_recv(wslay_event_context* ctx, uint8_t* buf,
                           std::size_t len, int, void* self) {
  auto& st = *static_cast<ws_stream*>(self);
  if (st.in_.empty()) {
    wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
    return -1;
  }
  auto n = std::min(len, st.in_.size());
  std::memcpy(buf, st.in_.data(), n);
  st.in_.remove_prefix(n);
  return static_cast<ssize_t>(n);
}

ssize_t ws_stream::on_send(wslay_event_context*, const uint8_t* data,
                           std::size_t len, int, void* self) {
  auto& st = *static_cast<ws_stream*>(self);
  st.out_.append(reinterpret_cast<const char*>(data), len);
  return static_cast<ssize_t>(len);
}

void ws_stream::on_message(wslay_event_context* ctx,
                           const wslay_event_on_msg_recv_arg* arg, void* self) {
  auto& st = *static_cast<ws_stream*>(self);
  if (wslay_event_get_close_sent(ctx))
    return; // nothing more is taken once we close
  std::string_view msg{reinterpret_cast<const char*>(arg->msg),
                       arg->msg_length};
  if (arg->opcode == WSLAY_TEXT_FRAME) {
    if (valid_utf8(msg)) {
      st.texts_.emplace_back(msg);
      return;
    }
    st.detail_ = "a text message that is not UTF-8";
    wslay_event_queue_close(ctx, WSLAY_CODE_INVALID_FRAME_PAYLOAD_DATA, nullptr,
                            0);
  } else if (arg->opcode == WSLAY_BINARY_FRAME) {
    st.detail_ = "a binary message (kurir frames are sent as text)";
    static constexpr std::string_view why = "kurir frames are text";
    wslay_event_queue_close(ctx, WSLAY_CODE_UNSUPPORTED_DATA,
                            reinterpret_cast<const uint8_t*>(why.data()),
                            why.size());
  } else if (arg->opcode == WSLAY_CONNECTION_CLOSE) {
    st.detail_ = "the client closed (" + std::to_string(arg->status_code) + ")";
  }
}

std::string ws_stream::flush() {
  wslay_event_send(ctx_);
  return std::exchange(out_, std::string{});
}

ws_stream::result ws_stream::feed(std::string_view bytes) {
  result res;
  in_ = bytes;
  auto was_closed = closed();
  if (!broken_ && wslay_event_recv(ctx_) != 0) {
    broken_ = true; // wslay may not be called again
    detail_ = "a broken WebSocket stream";
  }
  in_ = {};
  if (!broken_)
    res.out = flush();
  res.texts = std::move(texts_);
  texts_.clear();
  if (closed() && !was_closed) {
    res.closed = true;
    res.code = broken_ ? static_cast<uint16_t>(ws_close::protocol_error)
                       : wslay_event_get_status_code_sent(ctx_);
    res.detail = detail_.empty() ? describe(res.code) : detail_;
  }
  return res;
}

std::string ws_stream::send(std::string_view payload) {
  if (closed())
    return {};
  wslay_event_msg msg{};
  msg.opcode = valid_utf8(payload) ? WSLAY_TEXT_FRAME : WSLAY_BINARY_FRAME;
  msg.msg = reinterpret_cast<const uint8_t*>(payload.data());
  msg.msg_length = payload.size();
  wslay_event_queue_msg(ctx_, &msg);
  return flush();
}

std::string ws_stream::close(ws_close code, std::string_view reason) {
  if (closed())
    return {};
  wslay_event_queue_close(ctx_, static_cast<uint16_t>(code),
                          reinterpret_cast<const uint8_t*>(reason.data()),
                          std::min<std::size_t>(reason.size(), 123));
  return flush();
}

bool ws_stream::closed() const {
  return broken_ || wslay_event_get_close_sent(ctx_) != 0;
}

} // namespace kurir::net
