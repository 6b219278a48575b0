// The writer's back-off for a busy database, alone: no actors, time points
// passed in.

#include <catch2/catch.hpp>

#include <vector>

#include "actors/writer/busy_retry.hpp"

using kurir::busy_retry;
using std::chrono::milliseconds;

namespace {

/// Tries at the times the retry asks for, always busy, from t0 until it
/// gives up; returns the waits it asked for.
std::vector<milliseconds> waits_until_given_up(busy_retry& retry,
                                               busy_retry::clock::time_point t0,
                                               milliseconds& gave_up_at) {
  std::vector<milliseconds> out;
  auto t = t0;
  while (auto delay = retry.busy(t)) {
    out.push_back(*delay);
    t += *delay;
    REQUIRE(out.size() < 1000);
  }
  gave_up_at = std::chrono::duration_cast<milliseconds>(t - t0);
  return out;
}

busy_retry::policy policy_of(int timeout, int first, int max) {
  busy_retry::policy p;
  p.timeout = milliseconds{timeout};
  p.first = milliseconds{first};
  p.max = milliseconds{max};
  return p;
}

} // namespace

TEST_CASE("busy retry waits double up to the maximum and end at the deadline",
          "[actors][writer][busy]") {
  busy_retry retry{policy_of(500, 1, 100)};
  CHECK_FALSE(retry.waiting());
  milliseconds gave_up_at{0};
  auto waits
    = waits_until_given_up(retry, busy_retry::clock::time_point{}, gave_up_at);
  // 1+2+4+...+64 = 127, then 100 three times (427), then the 73 left.
  std::vector<milliseconds> expected;
  for (int ms : {1, 2, 4, 8, 16, 32, 64, 100, 100, 100, 73})
    expected.emplace_back(ms);
  CHECK(waits == expected);
  CHECK(gave_up_at == milliseconds{500}); // the last try is at the deadline
  CHECK_FALSE(retry.waiting());
}

TEST_CASE("busy retry keeps waiting until the deadline is reached",
          "[actors][writer][busy]") {
  busy_retry retry{policy_of(50, 1, 100)};
  busy_retry::clock::time_point t0{};
  REQUIRE(retry.busy(t0));
  CHECK(retry.waiting());
  CHECK(retry.busy(t0 + milliseconds{49}) == milliseconds{1}); // clipped
  CHECK(retry.waited(t0 + milliseconds{49}) == milliseconds{49});
  CHECK(retry.busy(t0 + milliseconds{50}) == std::nullopt);
  CHECK_FALSE(retry.waiting());
}

TEST_CASE("busy retry with a zero timeout gives up at the first busy try",
          "[actors][writer][busy]") {
  busy_retry retry{policy_of(0, 1, 100)};
  CHECK(retry.busy(busy_retry::clock::time_point{}) == std::nullopt);
  CHECK_FALSE(retry.waiting());
}

TEST_CASE("busy retry starts afresh after the commit went through",
          "[actors][writer][busy]") {
  busy_retry retry{policy_of(100, 1, 8)};
  busy_retry::clock::time_point t0{};
  REQUIRE(retry.busy(t0) == milliseconds{1});
  REQUIRE(retry.busy(t0 + milliseconds{1}) == milliseconds{2});
  retry.done();
  CHECK_FALSE(retry.waiting());
  // A new wait 90 ms later: a new deadline and the first wait again.
  auto t1 = t0 + milliseconds{90};
  CHECK(retry.busy(t1) == milliseconds{1});
  CHECK(retry.busy(t1 + milliseconds{99}) == milliseconds{1});
  CHECK(retry.waited(t1 + milliseconds{99}) == milliseconds{99});
}
