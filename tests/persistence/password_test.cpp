// Password hashing with argon2id. Tests use the minimal cost only: the
// interactive cost takes 64 MiB and a noticeable fraction of a second.

#include <catch2/catch.hpp>

#include "persistence/password.hpp"

using namespace kurir::persistence;

TEST_CASE("passwords hash with argon2id and verify",
          "[persistence][password]") {
  auto cost = hash_cost::minimal();
  auto hash = hash_password("correct horse", cost);
  REQUIRE_FALSE(hash.empty());
  CHECK(hash.rfind("$argon2id$v=19$", 0) == 0);
  CHECK(hash.find("correct horse") == std::string::npos);
  CHECK(verify_password(hash, "correct horse"));
  CHECK_FALSE(verify_password(hash, "correct horsE"));
  CHECK_FALSE(verify_password(hash, ""));
  // A fresh salt every time.
  auto again = hash_password("correct horse", cost);
  CHECK(again != hash);
  CHECK(verify_password(again, "correct horse"));
}

TEST_CASE("odd passwords and hashes are handled", "[persistence][password]") {
  auto cost = hash_cost::minimal();
  auto empty = hash_password("", cost);
  REQUIRE_FALSE(empty.empty());
  CHECK(verify_password(empty, ""));
  CHECK_FALSE(verify_password(empty, "x"));
  std::string with_nul("a\0b", 3);
  auto nul = hash_password(with_nul, cost);
  CHECK(verify_password(nul, with_nul));
  CHECK_FALSE(verify_password(nul, "a"));
  CHECK_FALSE(verify_password("", "x"));
  CHECK_FALSE(verify_password("not a hash", "x"));
  CHECK_FALSE(verify_password(std::string(500, '$'), "x"));
}

TEST_CASE("needs_rehash compares the cost", "[persistence][password]") {
  auto minimal = hash_cost::minimal();
  auto interactive = hash_cost::interactive();
  CHECK(interactive.ops > minimal.ops);
  CHECK(interactive.mem > minimal.mem);
  auto hash = hash_password("pw", minimal);
  REQUIRE_FALSE(hash.empty());
  CHECK_FALSE(needs_rehash(hash, minimal));
  CHECK(needs_rehash(hash, interactive)); // parsing only, no hashing
  CHECK(needs_rehash("garbage", minimal));
}
