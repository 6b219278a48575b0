#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kurir::client {

/// The result of completing the word before the cursor.
struct completion {
  /// Text to insert at the cursor (may be empty).
  std::string insert;
  /// Every candidate, sorted, when more than one matches (to list them).
  std::vector<std::string> candidates;
};

/// Completes the word that ends at the end of `before_cursor`: command names
/// when it is the first word and starts with `/`, else the `names`. A single
/// match is completed with a space after it; several are completed to their
/// longest common prefix and listed. Pure.
completion complete(std::string_view before_cursor,
                    const std::set<std::string>& names);

} // namespace kurir::client
