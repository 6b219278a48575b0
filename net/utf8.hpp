#pragma once

#include <string_view>

namespace kurir::net {

/// Returns whether `bytes` is well-formed UTF-8 (RFC 3629: no overlong
/// forms, no surrogates, nothing above U+10FFFF).
bool valid_utf8(std::string_view bytes);

} // namespace kurir::net
