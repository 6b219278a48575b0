#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "proto/records.hpp"

namespace kurir {

/// Orders what a session delivers. While the session reads what waits for
/// its user from the database, live deliveries may already arrive, and a
/// message can come both ways. The inbox holds live deliveries until the
/// read is done, and remembers per conversation the last sequence sent, so
/// each message goes out once and in sequence order. Plain logic.
class inbox {
public:
  using message = persistence::stored_message;

  /// Starts a read from the database: live deliveries are held from now on.
  void begin_backlog();

  /// Ends the read; returns the held live deliveries, in arrival order.
  std::vector<message> end_backlog();

  /// Accepts a live delivery; returns it unless it must be held.
  std::vector<message> live(message msg);

  /// Returns whether `msg` is newer than what was sent in its conversation.
  bool fresh(const message& msg) const;

  /// Records `msg` as sent.
  void mark(const message& msg);

  /// Forgets everything (logout).
  void reset();

  /// Returns whether a read from the database is under way.
  bool draining() const { return draining_; }

  /// Returns how many live deliveries are held.
  std::size_t held() const { return held_.size(); }

private:
  bool draining_ = false;
  std::vector<message> held_;
  std::unordered_map<int64_t, int64_t> last_seq_; // conv -> last sent
};

} // namespace kurir
