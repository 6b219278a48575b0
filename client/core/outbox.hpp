#pragma once

// The sends a client has made and the broker has not answered yet, each
// with its client id, so that a send can go again after a reconnect and be
// stored once.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace kurir::client_core {

/// Unanswered sends, by number (1, 2, ... per outbox). Send `n`'s client id
/// is the prefix followed by `n` in decimal; the broker keeps it with the
/// message and answers a repeated `--send--` with the stored message's ids.
class outbox {
public:
  /// One unanswered send.
  struct entry {
    std::string target; ///< the recipient user or group
    std::string body;   ///< unescaped text
    uint32_t gen = 0;   ///< the connection it was last written on; 0: none
  };

  /// Creates an empty outbox whose client ids start with `prefix`.
  explicit outbox(std::string prefix = {}) : prefix_(std::move(prefix)) {
    // nop
  }

  /// Adds the next send; returns its number.
  int64_t add(std::string target, std::string body);

  /// Appends send `n`'s `--send--` frame to `out` and notes that it went on
  /// connection `gen`. Requires `contains(n)`.
  void write(int64_t n, uint32_t gen, std::string& out);

  /// Send `n` was answered (confirmed or refused): forgets it. Returns false
  /// if it was not there.
  bool settle(int64_t n) { return sends_.erase(n) != 0; }

  /// Calls `f(n)` for every send, oldest first, not yet written on
  /// connection `gen`: after a login, what must go again with its old
  /// client id. `f` may call `write`.
  template<class F>
  void for_each_unwritten(uint32_t gen, F&& f) {
    for (auto& [n, e] : sends_)
      if (e.gen != gen)
        f(n);
  }

  /// Returns send `n`'s client id.
  std::string client_id(int64_t n) const;
  /// Returns whether `id` (a field as the broker echoes it) is send `n`'s
  /// client id.
  bool is_client_id(int64_t n, std::string_view id) const;
  /// Returns send `n`, or null if it was answered or never made.
  const entry* find(int64_t n) const;
  /// Returns whether send `n` waits for its answer.
  bool contains(int64_t n) const { return sends_.count(n) != 0; }
  /// Returns how many sends wait for their answer.
  std::size_t size() const { return sends_.size(); }
  /// Returns whether every send has its answer.
  bool empty() const { return sends_.empty(); }
  /// Returns the number of sends made so far.
  int64_t made() const { return next_; }

private:
  std::string prefix_;
  int64_t next_ = 0;
  std::map<int64_t, entry> sends_;
};

} // namespace kurir::client_core
