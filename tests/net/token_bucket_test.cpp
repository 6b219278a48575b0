#include <catch2/catch.hpp>

#include <algorithm>

#include "net/token_bucket.hpp"

using kurir::net::token_bucket;
using namespace std::chrono;

TEST_CASE("token_bucket allows a burst then the rate", "[net]") {
  token_bucket::time_point now{};
  token_bucket b{10, 20, now};
  for (int i = 0; i < 20; ++i)
    b.take(now);
  CHECK(b.tokens(now) == Approx(0));
  CHECK(b.wait(now) == token_bucket::clock::duration::zero());
  b.take(now); // one past the burst
  CHECK(b.tokens(now) == Approx(-1));
  CHECK(duration_cast<milliseconds>(b.wait(now)).count() == 100);
  CHECK(b.tokens(now + milliseconds(100)) == Approx(0).margin(1e-9));
  CHECK(b.tokens(now + seconds(10)) == Approx(20)); // never above the burst
}

TEST_CASE("token_bucket with rate 0 never limits", "[net]") {
  token_bucket::time_point now{};
  token_bucket b{0, 20, now};
  for (int i = 0; i < 1000; ++i)
    b.take(now);
  CHECK_FALSE(b.enabled());
  CHECK(b.wait(now) == token_bucket::clock::duration::zero());
  CHECK(b.tokens(now) == Approx(20));
}
