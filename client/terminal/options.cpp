#include "client/terminal/options.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace kurir::client {

namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos)
    return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string unquote(std::string v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'')
      && v.back() == v.front())
    return v.substr(1, v.size() - 2);
  return v;
}

bool to_number(const std::string& v, long lo, long hi, long& out) {
  char* end = nullptr;
  out = std::strtol(v.c_str(), &end, 10);
  return !v.empty() && end == v.c_str() + v.size() && out >= lo && out <= hi;
}

/// Parses true/false, yes/no, on/off or 1/0.
bool to_bool(const std::string& v, bool& out) {
  if (v == "true" || v == "yes" || v == "on" || v == "1")
    return out = true, true;
  if (v == "false" || v == "no" || v == "off" || v == "0")
    return out = false, true;
  return false;
}

/// Sets the option `key` that takes a value. Returns "" or an error.
std::string set_value(const std::string& key, const std::string& v,
                      options& o) {
  long n = 0;
  if (key == "host")
    o.host = v;
  else if (key == "user")
    o.user = v;
  else if (key == "password-file")
    o.password_file = v;
  else if (key == "config")
    o.config_file = v;
  else if (key == "tls-ca")
    o.tls_ca = v;
  else if (key == "port" && to_number(v, 1, 65535, n))
    o.port = static_cast<uint16_t>(n), o.port_set = true;
  else if (key == "retries" && to_number(v, 0, 1000000, n))
    o.retries = static_cast<int>(n);
  else if (key == "tls" && to_bool(v, o.tls))
    ;
  else if (key == "tls-insecure" && to_bool(v, o.tls_insecure))
    ;
  else if (key == "port" || key == "retries" || key == "tls"
           || key == "tls-insecure")
    return "bad value for " + key + ": " + v;
  else
    return "unknown option " + key;
  return {};
}

bool is_flag(const std::string& key) {
  return key == "register" || key == "plain" || key == "help" || key == "tls"
         || key == "tls-insecure";
}

/// Returns whether a flag may also be set in the config file.
bool config_flag(const std::string& key) {
  return key == "tls" || key == "tls-insecure";
}

void set_flag(const std::string& key, options& o) {
  if (key == "register")
    o.register_first = true;
  else if (key == "plain")
    o.plain = true;
  else if (key == "tls")
    o.tls = true;
  else if (key == "tls-insecure")
    o.tls_insecure = true;
  else
    o.help = true;
}

/// Finds `--config` on the command line, or the default file if present.
std::string config_path(const std::vector<std::string>& args, bool& must) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("--config=", 0) == 0) {
      must = true;
      return args[i].substr(9);
    }
    if (args[i] == "--config" && i + 1 < args.size()) {
      must = true;
      return args[i + 1];
    }
  }
  must = false;
  return default_config_path();
}

/// Reads the config file named by `--config`, or the default one.
std::string load_config(const std::vector<std::string>& args, options& opts) {
  bool must = false;
  auto path = config_path(args, must);
  if (path.empty())
    return {};
  std::ifstream f{path};
  if (!f)
    return must ? "cannot read config file " + path : std::string{};
  std::stringstream text;
  text << f.rdbuf();
  if (auto err = apply_config(text.str(), opts); !err.empty())
    return path + ": " + err;
  opts.config_file = path;
  return {};
}

} // namespace

std::string apply_config(const std::string& text, options& opts) {
  std::istringstream in{text};
  std::string raw;
  for (int n = 1; std::getline(in, raw); ++n) {
    auto l = trim(raw);
    if (l.empty() || l[0] == ';' || l[0] == '#' || l[0] == '[')
      continue;
    auto eq = l.find('=');
    if (eq == std::string::npos)
      return "line " + std::to_string(n) + ": expected key=value";
    auto key = trim(l.substr(0, eq));
    auto val = unquote(trim(l.substr(eq + 1)));
    if (key == "config" || (is_flag(key) && !config_flag(key)))
      return "line " + std::to_string(n) + ": unknown key " + key;
    if (auto err = set_value(key, val, opts); !err.empty())
      return "line " + std::to_string(n) + ": " + err;
  }
  return {};
}

std::string parse_options(const std::vector<std::string>& args, options& opts) {
  if (auto err = load_config(args, opts); !err.empty())
    return err;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "-h") {
      opts.help = true;
      continue;
    }
    if (a.rfind("--", 0) != 0)
      return "unexpected argument " + a;
    auto eq = a.find('=');
    auto key
      = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (is_flag(key) && eq == std::string::npos) {
      set_flag(key, opts);
      continue;
    }
    std::string val;
    if (eq != std::string::npos)
      val = a.substr(eq + 1);
    else if (i + 1 < args.size())
      val = args[++i];
    else
      return "option --" + key + " needs a value";
    if (auto err = set_value(key, val, opts); !err.empty())
      return err;
  }
  if (opts.tls_insecure)
    opts.tls = true;
  if (opts.tls && !opts.port_set)
    opts.port = 7443;
  return {};
}

std::string default_config_path() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x != nullptr && *x)
    return std::string{x} + "/kurir/kurir.ini";
  if (const char* h = std::getenv("HOME"); h != nullptr && *h)
    return std::string{h} + "/.config/kurir/kurir.ini";
  return {};
}

std::string usage_text() {
  return "usage: kurir --user=NAME [options]\n"
         "\n"
         "A terminal client for the kurir broker.\n"
         "\n"
         "  --host=HOST           broker address (127.0.0.1)\n"
         "  --port=PORT           broker port (7777; 7443 with --tls)\n"
         "  --tls                 use TLS, verifying the broker's certificate\n"
         "                        and its name (--host)\n"
         "  --tls-ca=FILE         trust the CA certificates in FILE (PEM)\n"
         "                        instead of the system's\n"
         "  --tls-insecure        TLS WITHOUT verifying the broker (tests "
         "only:\n"
         "                        anyone on the path can read everything)\n"
         "  --user=NAME           who to log in as\n"
         "  --register            register NAME first\n"
         "  --password-file=FILE  read the password from FILE's first line\n"
         "  --config=FILE         config file (~/.config/kurir/kurir.ini)\n"
         "  --plain               script mode (also when stdin is not a tty)\n"
         "  --retries=N           give up after N failed connections in a\n"
         "                        row (10; 0: never)\n"
         "  --help                this text\n"
         "\n"
         "The password comes from --password-file, else $KURIR_PASSWORD,\n"
         "else it is asked for on the terminal. Type /help once connected.\n";
}

} // namespace kurir::client
