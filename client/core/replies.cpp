#include "client/core/replies.hpp"

#include "proto/errc.hpp"

namespace kurir::client_core {

namespace {

/// The text that starts a `bad_request` refusing an acknowledgement.
constexpr std::string_view not_awaiting = "not awaiting acknowledgement";

} // namespace

errc code_of(std::string_view code) {
  // to_wire maps values past the end of the enum to "internal_error".
  for (int i = 1; i < 256; ++i) {
    auto x = static_cast<errc>(i);
    if (to_wire(x) == code)
      return x;
    if (x > errc::internal_error && to_wire(x) == to_wire(errc::internal_error))
      break;
  }
  return errc::none;
}

bool refuses_ack(std::string_view code, std::string_view text) {
  // Protocol 3 has a code of its own; older brokers only the text.
  return code == to_wire(errc::not_awaiting_ack)
         || (code == "bad_request"
             && text.substr(0, not_awaiting.size()) == not_awaiting);
}

bool closes_on_its_own(std::string_view code) {
  auto x = code_of(code);
  return x != errc::none && x != errc::frame_too_large && closes_connection(x);
}

frame_role role_of(const server_frame& f) {
  switch (f.kind) {
    case frame_kind::ok:
    case frame_kind::pong: return frame_role::reply;
    case frame_kind::error: {
      auto code = f.field(1);
      if (refuses_ack(code, f.field(2)))
        return frame_role::ack_refused;
      return closes_on_its_own(code) ? frame_role::closing : frame_role::reply;
    }
    case frame_kind::msg:
    case frame_kind::hist:
    case frame_kind::presence:
    case frame_kind::group:
    case frame_kind::ping: return frame_role::push;
    default: return frame_role::unknown;
  }
}

} // namespace kurir::client_core
