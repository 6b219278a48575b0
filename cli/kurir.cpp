// kurir: the terminal client. Run `kurir --help` for its options; README.md
// ("The terminal client") describes the commands and the plain format.

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "client/terminal/app.hpp"
#include "client/terminal/options.hpp"
#include "client/terminal/password.hpp"
#include "client/terminal/plain_frontend.hpp"
#include "client/terminal/session.hpp"
#include "client/terminal/terminal_frontend.hpp"

namespace {

using namespace kurir::client;

/// A random hex prefix for client ids, so that no two runs share one.
std::string random_prefix(uint64_t& seed_out) {
  std::random_device rd;
  uint64_t x = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  seed_out = x;
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx",
                static_cast<unsigned long long>(x));
  return std::string{"k"} + buf;
}

/// Finds the password: --password-file, $KURIR_PASSWORD, or the terminal.
bool find_password(const options& o, std::string& pw) {
  if (!o.password_file.empty()) {
    if (read_password_file(o.password_file, pw))
      return true;
    std::fprintf(stderr, "kurir: cannot read %s\n", o.password_file.c_str());
    return false;
  }
  if (const char* env = std::getenv("KURIR_PASSWORD"); env != nullptr) {
    pw = env;
    return true;
  }
  if (ask_password("Password for " + o.user + ": ", pw))
    return true;
  std::fprintf(stderr, "kurir: no password: use --password-file, "
                       "KURIR_PASSWORD or a terminal\n");
  return false;
}

/// Makes the TLS context `o` asks for (null for plain TCP); false with a
/// message on stderr when it cannot.
bool make_tls(const options& o,
              std::shared_ptr<const kurir::net::tls_context>& out) {
  if (!o.tls)
    return true;
  if (o.tls_insecure)
    std::fprintf(stderr,
                 "kurir: WARNING: --tls-insecure: the broker's certificate is "
                 "NOT verified; anyone on the path can pose as the broker and "
                 "read everything, your password included\n");
  auto ctx
    = kurir::net::tls_context::make_client({o.tls_ca, !o.tls_insecure, ""});
  if (!ctx) {
    std::fprintf(stderr, "kurir: %s\n", ctx.error().detail.c_str());
    return false;
  }
  out = *ctx;
  return true;
}

int run_client(const options& o, std::string password,
               std::shared_ptr<const kurir::net::tls_context> tls) {
  session_config cfg;
  cfg.user = o.user;
  cfg.password = std::move(password);
  cfg.register_first = o.register_first;
  cfg.client_id_prefix = random_prefix(cfg.seed);
  cfg.max_retries = o.retries;
  session s{cfg};
  bool interactive
    = !o.plain && ::isatty(STDIN_FILENO) == 1 && ::isatty(STDOUT_FILENO) == 1;
  if (interactive) {
    terminal_frontend f{s, terminal_frontend::colour_wanted()};
    return run(s, f, o.host, o.port, tls);
  }
  plain_frontend f{STDIN_FILENO, stdout};
  return run(s, f, o.host, o.port, tls);
}

} // namespace

int main(int argc, char** argv) {
  options o;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (auto err = parse_options(args, o); !err.empty()) {
    std::fprintf(stderr, "kurir: %s\n%s", err.c_str(), usage_text().c_str());
    return exit_code::usage;
  }
  if (o.help) {
    std::fputs(usage_text().c_str(), stdout);
    return exit_code::ok;
  }
  if (o.user.empty()) {
    std::fprintf(stderr, "kurir: --user is required\n%s", usage_text().c_str());
    return exit_code::usage;
  }
  install_signal_pipe();
  std::shared_ptr<const kurir::net::tls_context> tls;
  if (!make_tls(o, tls))
    return exit_code::usage;
  std::string pw;
  if (!find_password(o, pw))
    return exit_code::usage;
  return run_client(o, std::move(pw), std::move(tls));
}
