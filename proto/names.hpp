#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "proto/limits.hpp"
#include "proto/outcome.hpp"

namespace kurir::net {

/// The rules for names and passwords; every value configurable.
struct name_rules {
  std::size_t max_name = limits::max_name; ///< longest user or group name
  std::size_t min_password
    = limits::min_password; ///< shortest password, in bytes
  std::size_t max_password
    = limits::max_password; ///< longest password, in bytes
};

/// Case-folds `name` (ASCII) and checks it: 1..max_name bytes of
/// `[a-z0-9_.-]` after folding, not starting with `--` (which opens every
/// command frame). Fails with `errc::bad_name`.
outcome<std::string> fold_name(std::string_view name,
                               const name_rules& rules = {});

/// Checks a password's length. Fails with `errc::bad_password`.
outcome<done> check_password(std::string_view password,
                             const name_rules& rules = {});

} // namespace kurir::net
