#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/store.hpp"
#include "proto/outcome.hpp"

namespace kurir::persistence {

/// A user from the seed's `user.txt` (`user|password;`).
struct seed_user {
  std::string name;
  std::string password;
};

/// A group from the seed's `grup.txt` (`grupname|user1,user2;`).
struct seed_group {
  std::string name;
  std::vector<std::string> members;
};

/// What a seed file held, plus one readable warning per record skipped.
struct seed_file {
  std::vector<seed_user> users;
  std::vector<seed_group> groups;
  std::vector<std::string> warnings;
};

/// Parses the text of `user.txt`. Records end with `;`; whitespace and
/// newlines between records are ignored; names are folded and checked.
seed_file parse_user_file(std::string_view text);

/// Parses the text of `grup.txt`.
seed_file parse_group_file(std::string_view text);

/// What an import changed.
struct import_report {
  int users_added = 0;
  int users_present = 0; ///< already stored: left alone, not re-hashed
  int groups_ensured = 0;
  std::vector<std::string> warnings;
};

/// Imports parsed seed records idempotently: users not yet stored are added
/// with `hash(password)`; groups are created or completed. Conflicts (a
/// group named like a user) become warnings, never duplicates.
outcome<import_report>
import_seed(store& st, const seed_file& users, const seed_file& groups,
            const std::function<std::string(std::string_view)>& hash,
            int64_t now_ms);

} // namespace kurir::persistence
