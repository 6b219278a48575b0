#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kurir::client {

/// Everything `kurir` can be told on its command line or in its config file.
struct options {
  std::string host = "127.0.0.1";
  uint16_t port = 7777;      ///< 7443 with `tls` unless set
  bool port_set = false;     ///< given on the command line or in the file
  bool tls = false;          ///< TLS, verifying the broker's certificate
  std::string tls_ca;        ///< PEM CA file; empty: the system's store
  bool tls_insecure = false; ///< TLS without verification (tests only)
  std::string user;
  bool register_first = false;
  std::string password_file;
  std::string config_file; ///< empty: ~/.config/kurir/kurir.ini if present
  bool plain = false;      ///< script mode, also when stdin is not a tty
  int retries = 10;        ///< failed connections in a row; 0: forever
  bool help = false;
};

/// Applies `key=value` lines of an ini-style config file to `opts`.
/// `[section]` headers are ignored, `;` and `#` start comments, values may be
/// quoted. Keys: host, port, user, password-file, retries, tls (true or
/// false), tls-ca, tls-insecure (true or false). Returns "" or an error
/// message naming the line.
std::string apply_config(const std::string& text, options& opts);

/// Parses the command line (`--name=value` or `--name value`) into `opts`,
/// reading the config file first (from `--config=FILE` or the default path
/// when it exists) so that the command line overrides it. Returns "" or an
/// error message.
std::string parse_options(const std::vector<std::string>& args, options& opts);

/// Returns the default config path: $XDG_CONFIG_HOME/kurir/kurir.ini, or
/// $HOME/.config/kurir/kurir.ini; "" when neither variable is set.
std::string default_config_path();

/// Returns the `--help` text.
std::string usage_text();

} // namespace kurir::client
