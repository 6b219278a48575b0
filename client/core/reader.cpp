#include "client/core/reader.hpp"

#include <cstring>

namespace kurir::client_core {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

} // namespace

void frame_reader::compact() {
  if (begin_ == 0)
    return;
  std::memmove(buf_.data(), buf_.data() + begin_, filled_ - begin_);
  filled_ -= begin_;
  scan_ -= begin_;
  begin_ = 0;
}

char* frame_reader::prepare(std::size_t n) {
  compact();
  if (buf_.size() < filled_ + n)
    buf_.resize(filled_ + n); // grows only: no clearing on every read
  return buf_.data() + filled_;
}

void frame_reader::append(std::string_view bytes) {
  auto* p = prepare(bytes.size());
  if (!bytes.empty())
    std::memcpy(p, bytes.data(), bytes.size());
  commit(bytes.size());
}

bool frame_reader::next(std::string_view& frame) {
  if (failed_)
    return false;
  if (!started_) {
    while (begin_ < filled_ && is_space(buf_[begin_]))
      ++begin_;
    scan_ = begin_;
    started_ = begin_ < filled_;
  }
  for (; scan_ < filled_; ++scan_) {
    char c = buf_[scan_];
    if (escaped_) {
      escaped_ = false;
    } else if (c == '\\') {
      escaped_ = true;
    } else if (c == ';') {
      if (scan_ - begin_ > max_frame_)
        break;
      frame = std::string_view{buf_.data() + begin_, scan_ - begin_};
      begin_ = scan_ = scan_ + 1;
      started_ = false;
      return true;
    }
  }
  if (started_ && scan_ - begin_ > max_frame_)
    failed_ = true;
  return false;
}

void frame_reader::clear() {
  filled_ = begin_ = scan_ = 0;
  started_ = escaped_ = failed_ = false;
}

} // namespace kurir::client_core
