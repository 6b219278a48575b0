#include <catch2/catch.hpp>

#include <string>

#include "proto/names.hpp"

using kurir::errc;
using kurir::net::check_password;
using kurir::net::fold_name;
using kurir::net::name_rules;

namespace {

/// Requires `fold_name(name)` to fail with bad_name and a detail.
void require_bad_name(std::string_view name, const name_rules& rules = {}) {
  INFO("name: " << name);
  auto res = fold_name(name, rules);
  REQUIRE_FALSE(res);
  CHECK(res.error().code == errc::bad_name);
  CHECK(res.error().detail.find("1-" + std::to_string(rules.max_name))
        != std::string::npos);
}

} // namespace

TEST_CASE("fold_name folds ASCII upper case", "[net][names]") {
  auto res = fold_name("Alice");
  REQUIRE(res);
  CHECK(*res == "alice");
  res = fold_name("BOB_the.2nd-X");
  REQUIRE(res);
  CHECK(*res == "bob_the.2nd-x");
  res = fold_name("z09_.-");
  REQUIRE(res);
  CHECK(*res == "z09_.-");
}

TEST_CASE("fold_name enforces the length", "[net][names]") {
  auto res = fold_name(std::string(32, 'A'));
  REQUIRE(res);
  CHECK(*res == std::string(32, 'a'));
  REQUIRE(fold_name("a"));
  require_bad_name(std::string(33, 'a'));
  require_bad_name("");
  SECTION("max_name is configurable") {
    name_rules rules;
    rules.max_name = 4;
    CHECK(fold_name("abcd", rules));
    require_bad_name("abcde", rules);
  }
}

TEST_CASE("fold_name rejects bytes outside a-z 0-9 _ . -", "[net][names]") {
  require_bad_name("al ice");
  require_bad_name(" alice");
  require_bad_name("\x1b[31m");
  require_bad_name("alice\x1b[31m");
  require_bad_name("caf\xc3\xa9"); // UTF-8 é
  require_bad_name("\xc3\x89");    // UTF-8 É: not folded
  require_bad_name("a;b");
  require_bad_name("a|b");
  require_bad_name("a\\b");
  require_bad_name("a\tb");
  require_bad_name("a\nb");
  require_bad_name(std::string("a\0b", 3));
  require_bad_name("a/b");
  require_bad_name("a@b");
}

TEST_CASE("check_password enforces the byte length", "[net][names]") {
  CHECK_FALSE(check_password(std::string(7, 'p')));
  CHECK(check_password(std::string(7, 'p')).error().code == errc::bad_password);
  CHECK(check_password(std::string(8, 'p')));
  CHECK(check_password(std::string(1024, 'p')));
  auto res = check_password(std::string(1025, 'p'));
  REQUIRE_FALSE(res);
  CHECK(res.error().code == errc::bad_password);
  CHECK(res.error().detail.find("8-1024") != std::string::npos);
  CHECK_FALSE(check_password(""));
  SECTION("length counts bytes, and any byte is allowed") {
    CHECK(check_password("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9")); // 8 bytes
    CHECK_FALSE(check_password("\xc3\xa9\xc3\xa9\xc3\xa9p"));  // 7 bytes
    CHECK(check_password("pa ss;|\\w"));
  }
  SECTION("the bounds are configurable") {
    name_rules rules;
    rules.min_password = 2;
    rules.max_password = 3;
    CHECK_FALSE(check_password("a", rules));
    CHECK(check_password("ab", rules));
    CHECK(check_password("abc", rules));
    res = check_password("abcd", rules);
    REQUIRE_FALSE(res);
    CHECK(res.error().detail.find("2-3") != std::string::npos);
  }
}

TEST_CASE("fold_name rejects names that open like a command", "[net][names]") {
  require_bad_name("--bob");
  require_bad_name("--login--");
  CHECK(fold_name("-bob"));
  CHECK(fold_name("bob--"));
}
