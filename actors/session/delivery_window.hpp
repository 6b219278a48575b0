#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "proto/records.hpp"

namespace kurir {

/// The deliveries a session has sent but that are not yet delivered: for an
/// acknowledging client, until it acknowledges their ids; for a seed client,
/// until the socket reports them written. Bounded by `capacity`: past it the
/// session sends nothing more and later reads what waits from the database.
///
/// A cursor may only move over a prefix of a conversation's deliveries that
/// is wholly delivered, so an acknowledgement out of order moves it only
/// once the gap before it is filled. Plain logic, testable without actors.
class delivery_window {
public:
  /// Creates a window for at most `capacity` deliveries in flight.
  explicit delivery_window(std::size_t capacity) : capacity_(capacity) {}

  /// Returns whether no further delivery may be sent.
  bool full() const { return entries_.size() >= capacity_; }

  /// Returns how many deliveries are in flight.
  std::size_t in_flight() const { return entries_.size(); }

  /// Returns the capacity.
  std::size_t capacity() const { return capacity_; }

  /// Records a delivery of message `id` (seq `seq` of `conv`) to `user`.
  void sent(const std::string& user, int64_t id, int64_t conv, int64_t seq);

  /// Marks message `id` delivered; returns the cursor moves this allows, or
  /// nothing if `id` is not in flight.
  std::optional<std::vector<persistence::cursor_update>> ack(int64_t id);

  /// Marks the `n` oldest deliveries delivered (in sending order); returns
  /// the cursor moves this allows.
  std::vector<persistence::cursor_update> ack_oldest(std::size_t n);

  /// Forgets every delivery in flight: they stay beyond the cursor and are
  /// sent again at the next login.
  void clear();

private:
  // One entry per delivery in flight: 24 bytes beside its id in a hash
  // node. The user is an index into `users_` (a connection may log in as
  // someone else while deliveries of the first login are in flight), not a
  // string per entry: a full window of every session is in memory at once.
  struct entry {
    int64_t conv = 0;
    int64_t seq = 0;
    uint32_t user = 0;
    bool done = false;
  };
  using key = std::pair<uint32_t, int64_t>; // (user index, conv)

  /// Returns the index of `user` in `users_`, adding it if new.
  uint32_t user_index(const std::string& user);

  /// Pops the delivered prefix of `k`'s queue; appends the cursor move.
  void advance(const key& k, std::vector<persistence::cursor_update>& out);

  std::size_t capacity_;
  std::vector<std::string> users_;              // entry::user indexes this
  std::unordered_map<int64_t, entry> entries_;  // by message id
  std::deque<int64_t> order_;                   // ids in sending order
  std::map<key, std::deque<int64_t>> per_conv_; // ids per (user, conv)
};

} // namespace kurir
