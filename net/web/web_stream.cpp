#include "net/web/web_stream.hpp"

#include <algorithm>

namespace kurir::net {

web_stream::web_stream(web_origins origins, std::size_t max_message)
    : origins_(std::move(origins)), max_message_(max_message) {
  // nop
}

web_stream::result web_stream::feed(std::string_view bytes) {
  if (ws_) {
    auto w = ws_->feed(bytes);
    result res;
    res.out = std::move(w.out);
    res.texts = std::move(w.texts);
    res.close = w.closed;
    res.ws_code = w.code;
    res.detail = std::move(w.detail);
    return res;
  }
  if (answered_)
    return {};
  // The cap is checked before buffering: at most one byte past the head's
  // limit (and its blank line) is ever kept.
  auto room = max_http_head + 2 - std::min(head_.size(), max_http_head + 2);
  auto take = std::min(room, bytes.size());
  head_.append(bytes.substr(0, take));
  return on_head(bytes.substr(take));
}

web_stream::result web_stream::on_head(std::string_view rest) {
  result res;
  auto head = parse_http_head(head_);
  switch (head.status) {
    case http_status::incomplete: return res;
    case http_status::bad:
      res.status = 400;
      res.detail = "not an HTTP/1 request";
      break;
    case http_status::too_large:
      res.status = 431;
      res.detail = "a request head past its limit";
      break;
    case http_status::complete: {
      auto ans = answer_request(head, origins_);
      res.status = ans.code;
      res.detail = ans.code >= 400 ? std::move(ans.detail) : head.path;
      res.out = std::move(ans.response);
      break;
    }
  }
  if (res.status == 400 || res.status == 431)
    res.out = http_response(res.status, "text/plain; charset=utf-8",
                            std::string{http_reason(res.status)} + "\n", false,
                            web_security_headers());
  if (res.status != 101) {
    answered_ = res.close = true;
    head_.clear();
    return res;
  }
  // A client may send its first messages right behind the request.
  std::string after = head_.substr(head.size);
  after.append(rest);
  head_.clear();
  head_.shrink_to_fit();
  ws_ = std::make_unique<ws_stream>(max_message_);
  res.upgraded = true;
  if (!after.empty()) {
    auto more = feed(after);
    res.out += more.out;
    res.texts = std::move(more.texts);
    res.close = more.close;
    res.ws_code = more.ws_code;
    res.detail = std::move(more.detail);
  }
  return res;
}

std::string web_stream::send(std::string_view frames) {
  return ws_ ? ws_->send(frames) : std::string{};
}

std::string web_stream::close(ws_close code, std::string_view reason) {
  return ws_ ? ws_->close(code, reason) : std::string{};
}

std::string web_stream::timeout() {
  if (ws_ || answered_)
    return {};
  answered_ = true;
  return http_response(408, "text/plain; charset=utf-8",
                       "Request Timeout: the request took too long\n", false,
                       web_security_headers());
}

void web_stream::set_max_message(std::size_t n) {
  max_message_ = n;
  if (ws_)
    ws_->set_max_message(n);
}

} // namespace kurir::net
