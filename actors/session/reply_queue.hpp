#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace kurir {

/// Keeps replies in the order of the commands that caused them, although
/// they complete out of order (a send waits for its commit, a ping does
/// not). This is what makes `--ping--` a barrier. Plain logic.
class reply_queue {
public:
  /// Identifies a reserved place in the queue.
  using slot = uint64_t;

  /// Reserves the next place.
  slot reserve();

  /// Fills a reserved place with a reply frame.
  void fill(slot s, std::string frame);

  /// Removes and returns the filled replies at the head, in order.
  std::vector<std::string> take_ready();

  /// Returns whether places are reserved but not yet taken.
  bool empty() const { return entries_.empty(); }

private:
  slot first_ = 0; // slot number of entries_.front()
  std::deque<std::optional<std::string>> entries_;
};

} // namespace kurir
