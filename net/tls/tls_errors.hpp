#pragma once

#include <string>

namespace kurir::net {

/// Empties this thread's OpenSSL error queue into one readable line
/// ("" if it was empty).
std::string tls_error_text();

} // namespace kurir::net
