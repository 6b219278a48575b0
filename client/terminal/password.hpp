#pragma once

#include <string>

namespace kurir::client {

/// Reads the first line of `path` (without its line end). Returns false if
/// the file cannot be read.
bool read_password_file(const std::string& path, std::string& out);

/// Asks for a password on the controlling terminal (/dev/tty) with echo
/// off, restoring the terminal afterwards. Returns false when there is no
/// terminal or the input ends.
bool ask_password(const std::string& prompt, std::string& out);

} // namespace kurir::client
