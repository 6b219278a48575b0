#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kurir::persistence {

/// argon2id cost parameters (libsodium's opslimit and memlimit).
struct hash_cost {
  uint64_t ops = 0;
  std::size_t mem = 0;
  /// libsodium's INTERACTIVE setting (2 passes, 64 MiB): the default.
  static hash_cost interactive();
  /// libsodium's MIN setting: for tests and benchmarks only.
  static hash_cost minimal();
};

/// Hashes `password` with argon2id; returns the encoded hash string
/// (`$argon2id$v=19$m=...`), or an empty string if memory ran out.
std::string hash_password(std::string_view password, const hash_cost& cost);

/// Returns whether `password` matches the encoded `hash`.
bool verify_password(std::string_view hash, std::string_view password);

/// Returns whether `hash` was made with a cost other than `cost`.
bool needs_rehash(std::string_view hash, const hash_cost& cost);

} // namespace kurir::persistence
