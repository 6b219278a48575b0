#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "persistence/records.hpp"

namespace kurir {

/// Orders what a session delivers. At login the session reads its backlog
/// from the spool while live deliveries may already arrive; a message can
/// come both ways. The inbox holds live deliveries until the backlog is
/// read, then lets through each conversation's messages once, in sequence
/// order. Plain logic, testable without actors.
class inbox {
public:
  using message = persistence::stored_message;

  /// Starts reading a backlog: live deliveries are held from now on.
  void begin_backlog();

  /// Accepts a page of backlog; returns what to deliver now.
  std::vector<message> backlog(std::vector<message> page);

  /// Ends the backlog; returns the held live deliveries still new.
  std::vector<message> end_backlog();

  /// Accepts a live delivery; returns what to deliver now (0 or 1).
  std::vector<message> live(message msg);

  /// Forgets everything (logout).
  void reset();

  /// Returns whether a backlog is being read.
  bool draining() const { return draining_; }

  /// Returns how many live deliveries are held.
  std::size_t held() const { return held_.size(); }

private:
  /// Returns whether `msg` is new for its conversation, and records it.
  bool accept(const message& msg);

  bool draining_ = false;
  std::vector<message> held_;
  std::unordered_map<int64_t, int64_t> last_seq_; // conv -> last delivered
};

} // namespace kurir
