#pragma once

#include <algorithm>
#include <chrono>

namespace kurir::net {

/// A token bucket for a connection's message rate: `rate` tokens a second,
/// holding at most `burst`. Taking past empty runs into debt, which says how
/// long to pause reading, and how far past the limit a client went. Plain
/// logic with the time handed in.
class token_bucket {
public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;

  /// Creates a full bucket; `rate` 0 never limits.
  token_bucket(double rate, double burst, time_point now)
      : rate_(rate), burst_(burst), tokens_(burst), last_(now) {}

  /// Takes one token (possibly into debt).
  void take(time_point now) {
    refill(now);
    tokens_ -= 1;
  }

  /// Returns the tokens now; negative is debt.
  double tokens(time_point now) {
    refill(now);
    return tokens_;
  }

  /// Returns how long until the debt is paid (zero if there is none).
  clock::duration wait(time_point now) {
    refill(now);
    if (rate_ <= 0 || tokens_ >= 0)
      return clock::duration::zero();
    return std::chrono::duration_cast<clock::duration>(
      std::chrono::duration<double>(-tokens_ / rate_));
  }

  /// Returns how long until `want` tokens are there (zero if they are).
  clock::duration wait_for(double want, time_point now) {
    refill(now);
    if (rate_ <= 0 || tokens_ >= want)
      return clock::duration::zero();
    return std::chrono::duration_cast<clock::duration>(
      std::chrono::duration<double>((want - tokens_) / rate_));
  }

  /// Returns whether the bucket limits at all.
  bool enabled() const { return rate_ > 0; }

private:
  void refill(time_point now) {
    if (rate_ <= 0) {
      tokens_ = burst_;
      return;
    }
    std::chrono::duration<double> dt = now - last_;
    last_ = now;
    tokens_ = std::min(burst_, tokens_ + dt.count() * rate_);
  }

  double rate_;
  double burst_;
  double tokens_;
  time_point last_;
};

} // namespace kurir::net
