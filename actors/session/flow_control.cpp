#include "actors/session/flow_control.hpp"

#include <algorithm>
#include <limits>

namespace kurir {

flow_control::flow_control(limits l) : limits_(l), window_(l.max_inflight) {}

std::size_t flow_control::stop_bytes() const {
  return limits_.max_outbound / stop_outbound_divisor;
}

std::size_t flow_control::resume_bytes() const {
  return limits_.max_outbound / resume_outbound_divisor;
}

std::size_t flow_control::resume_in_flight() const {
  return window_.capacity() / resume_window_divisor;
}

bool flow_control::behind() const {
  return phase_ == phase::behind || phase_ == phase::reading_behind;
}

bool flow_control::reading() const {
  return phase_ == phase::reading || phase_ == phase::reading_behind;
}

bool flow_control::can_send() const {
  return !window_.full() && !socket_full();
}

bool flow_control::socket_full() const {
  return unwritten_bytes_ >= stop_bytes();
}

void flow_control::sent(std::size_t bytes) {
  auto w = average_weight;
  avg_delivery_ = (avg_delivery_ * (w - 1) + bytes) / w;
  // Kept as 4 bytes each: a full window of every session is in memory.
  auto b = static_cast<uint32_t>(
    std::min<std::size_t>(bytes, std::numeric_limits<uint32_t>::max()));
  unwritten_.push_back(b);
  unwritten_bytes_ += b;
}

void flow_control::written(std::size_t n) {
  for (; n > 0 && !unwritten_.empty(); --n) {
    unwritten_bytes_ -= unwritten_.front();
    unwritten_.pop_front();
  }
}

void flow_control::fell_behind() {
  if (phase_ == phase::live)
    phase_ = phase::behind;
  else if (phase_ == phase::reading)
    phase_ = phase::reading_behind;
}

void flow_control::unsent(int64_t conv, int64_t seq) {
  resume_after_ = std::min(resume_after_, {conv, seq - 1});
}

bool flow_control::ready_to_read() const {
  return phase_ == phase::behind && window_.in_flight() <= resume_in_flight()
         && unwritten_bytes_ <= resume_bytes();
}

void flow_control::begin_read() {
  // Everything before the resume point has been sent; after a login the
  // resume point is the very start.
  phase_ = phase::reading;
  read_after_ = resume_after_;
  resume_after_ = nothing_unsent;
}

std::size_t flow_control::page_rows() const {
  auto room = window_.capacity() - window_.in_flight();
  auto budget = stop_bytes();
  if (unwritten_bytes_ < budget && avg_delivery_ > 0)
    room = std::min(room, (budget - unwritten_bytes_) / avg_delivery_ + 1);
  return std::max<std::size_t>(1, std::min(limits_.page_rows, room));
}

bool flow_control::page_read(std::size_t got, std::size_t asked, int64_t conv,
                             int64_t seq) {
  if (got > 0)
    read_after_ = {conv, seq};
  return got == asked && phase_ == phase::reading;
}

void flow_control::read_failed() {
  // What is stored stays: read it again from here once there is room.
  fell_behind();
  resume_after_ = std::min(resume_after_, read_after_);
}

void flow_control::held_too_many() {
  read_failed(); // the same: what is stored is read again from here
}

void flow_control::end_read() {
  if (phase_ == phase::reading)
    phase_ = phase::live;
  else if (phase_ == phase::reading_behind)
    phase_ = phase::behind;
}

void flow_control::restart(bool clear_window) {
  phase_ = phase::live;
  resume_after_ = {};
  if (clear_window)
    window_.clear();
}

} // namespace kurir
