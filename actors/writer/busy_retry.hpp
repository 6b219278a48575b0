#pragma once

#include <chrono>
#include <optional>

#include "proto/limits.hpp"

namespace kurir {

/// When the writer tries a commit again that found the database locked by
/// another process, and when it gives up: the waits double from `first` up
/// to `max`, until `timeout` after the first busy try. Plain logic on time
/// points the caller passes in (the writer passes CAF's clock, so the tests
/// run it on virtual time); no CAF, no SQLite.
class busy_retry {
public:
  /// The clock of the time points (CAF's actor clock is a steady clock).
  using clock = std::chrono::steady_clock;

  /// The tunables; the defaults are in `proto/limits.hpp`.
  struct policy {
    /// From the first busy try to giving up (0: give up at once).
    std::chrono::milliseconds timeout{limits::busy_timeout_ms};
    /// The wait after the first busy try.
    std::chrono::milliseconds first{limits::busy_retry_first_ms};
    /// The longest wait between two tries.
    std::chrono::milliseconds max{limits::busy_retry_max_ms};
  };

  /// A retry with the default policy.
  busy_retry() = default;

  /// A retry with policy `p`.
  explicit busy_retry(policy p) : policy_(p) {}

  /// Whether a commit waits for the database: from its first busy try
  /// until it went through, failed otherwise, or was given up.
  bool waiting() const noexcept { return waiting_; }

  /// A try at `now` found the database busy (the first one starts the
  /// wait). Returns how long to wait before the next try, never past the
  /// deadline; or nothing once the deadline has passed: give up (the wait
  /// ends).
  std::optional<std::chrono::milliseconds> busy(clock::time_point now);

  /// The commit went through, or failed for another reason: the wait ends.
  void done() noexcept { waiting_ = false; }

  /// How long the current (or last) wait has lasted at `now`.
  std::chrono::milliseconds waited(clock::time_point now) const;

  /// The policy in use.
  const policy& settings() const noexcept { return policy_; }

private:
  policy policy_;
  bool waiting_ = false;
  clock::time_point since_{};
  std::chrono::milliseconds next_{0};
};

} // namespace kurir
