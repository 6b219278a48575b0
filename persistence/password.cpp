#include "persistence/password.hpp"

#include <string>

#include <sodium.h>

namespace kurir::persistence {

namespace {

/// Initializes libsodium once; a function-local static is initialized
/// thread-safely, and sodium_init itself may be called concurrently.
bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

/// libsodium wants a pointer even for an empty password.
const char* data_of(std::string_view text) noexcept {
  return text.data() != nullptr ? text.data() : "";
}

/// libsodium reads encoded hashes as NUL-terminated strings of less than
/// crypto_pwhash_STRBYTES bytes; anything else cannot be a valid hash.
bool fits_hash_buffer(std::string_view hash) noexcept {
  return hash.size() < crypto_pwhash_STRBYTES
         && hash.find('\0') == std::string_view::npos;
}

} // namespace

hash_cost hash_cost::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE,
          crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

hash_cost hash_cost::minimal() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

std::string hash_password(std::string_view password, const hash_cost& cost) {
  if (!sodium_ready())
    return {};
  char out[crypto_pwhash_STRBYTES] = {};
  if (crypto_pwhash_str_alg(out, data_of(password), password.size(), cost.ops,
                            cost.mem, crypto_pwhash_ALG_ARGON2ID13)
      != 0)
    return {};
  return out;
}

bool verify_password(std::string_view hash, std::string_view password) {
  if (!sodium_ready() || !fits_hash_buffer(hash))
    return false;
  char str[crypto_pwhash_STRBYTES] = {};
  hash.copy(str, hash.size());
  return crypto_pwhash_str_verify(str, data_of(password), password.size()) == 0;
}

bool needs_rehash(std::string_view hash, const hash_cost& cost) {
  if (!sodium_ready() || !fits_hash_buffer(hash))
    return true;
  char str[crypto_pwhash_STRBYTES] = {};
  hash.copy(str, hash.size());
  // 0: same algorithm and cost; 1: other cost; -1: not a valid hash.
  return crypto_pwhash_str_needs_rehash(str, cost.ops, cost.mem) != 0;
}

} // namespace kurir::persistence
