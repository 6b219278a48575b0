#include <catch2/catch.hpp>

#include "net/address_limits.hpp"

using kurir::net::address_limits;

TEST_CASE("address_limits caps open connections per address", "[net]") {
  address_limits::policy p;
  p.max_open = 2;
  address_limits lim{p};
  address_limits::time_point now{};
  CHECK(lim.admit("10.0.0.1", now));
  CHECK(lim.admit("10.0.0.1", now));
  CHECK_FALSE(lim.admit("10.0.0.1", now));
  CHECK(lim.admit("10.0.0.2", now)); // another address
  lim.release("10.0.0.1");
  CHECK(lim.admit("10.0.0.1", now));
}

TEST_CASE("address_limits caps new connections within the window", "[net]") {
  using std::chrono::minutes;
  address_limits::policy p;
  p.max_new = 3;
  address_limits lim{p};
  address_limits::time_point now{};
  for (int i = 0; i < 3; ++i)
    CHECK(lim.admit("10.0.0.1", now));
  lim.release("10.0.0.1"); // still two open: the window is kept
  CHECK_FALSE(lim.admit("10.0.0.1", now + minutes(5)));
  CHECK(lim.admit("10.0.0.1", now + minutes(11)));
}

TEST_CASE("address_limits exempts loopback unless told otherwise", "[net]") {
  address_limits::policy p;
  p.max_open = 1;
  address_limits lim{p};
  address_limits::time_point now{};
  CHECK(lim.admit("127.0.0.1", now));
  CHECK(lim.admit("127.0.0.1", now));
  CHECK(lim.admit("::1", now));
  p.exempt_loopback = false;
  address_limits strict{p};
  CHECK(strict.admit("127.0.0.1", now));
  CHECK_FALSE(strict.admit("127.0.0.1", now));
  strict.release("127.0.0.1");
  CHECK(strict.tracked() == 0);
}

TEST_CASE("limited_address names what the login throttle counts",
          "[net][throttle]") {
  using kurir::net::exempt_address;
  using kurir::net::limited_address;
  // Loopback is left alone by default, counted with --limit-loopback.
  CHECK(limited_address("127.0.0.1:40001", true).empty());
  CHECK(limited_address("127.9.9.9:5", true).empty());
  CHECK(limited_address("::1:40001", true).empty());
  CHECK(limited_address("127.0.0.1:40001", false) == "127.0.0.1");
  CHECK(limited_address("::1:40001", false) == "::1");
  // Any other address is always counted, without its port.
  CHECK(limited_address("10.0.0.1:40001", true) == "10.0.0.1");
  CHECK(limited_address("128.0.0.1:1", true) == "128.0.0.1");
  CHECK_FALSE(exempt_address("1.127.0.0", true));
  CHECK(exempt_address("127.0.0.1", true));
  CHECK_FALSE(exempt_address("127.0.0.1", false));
}
