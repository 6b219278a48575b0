#include "sim/options.hpp"

#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <unistd.h>

namespace kurir::sim {

namespace {

using setter = std::function<bool(options&, const std::string&)>;

template<class T>
setter number(T options::*field) {
  return [field](options& o, const std::string& v) {
    char* end = nullptr;
    auto x = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || x < 0)
      return false;
    o.*field = static_cast<T>(x);
    return true;
  };
}

setter text(std::string options::*field) {
  return [field](options& o, const std::string& v) {
    o.*field = v;
    return true;
  };
}

struct option_info {
  setter set;
  const char* help;
};

using option_table = std::map<std::string, option_info>;

/// The broker, the users and what they send.
option_table run_options() {
  return {
    {"workload",
     {text(&options::workload),
      "dm | group | offline | churn | connect | idle (dm)"}},
    {"host", {text(&options::host), "broker address (127.0.0.1)"}},
    {"port",
     {number(&options::port), "broker port; 0 starts an own kurird child (0)"}},
    {"tls",
     {text(&options::tls_dir),
      "TLS with the files of scripts/dev-cert DIR (off)"}},
    {"kurird",
     {text(&options::kurird),
      "kurird binary for the child (next to kurir-sim)"}},
    {"prefix",
     {text(&options::prefix),
      "name prefix (own child: none; else a random one)"}},
    {"users", {number(&options::users), "simulated users (20)"}},
    {"groups", {number(&options::groups), "groups, for group (2)"}},
    {"group-size", {number(&options::group_size), "members per group (10)"}},
    {"messages", {number(&options::messages), "messages per user (50)"}},
    {"window", {number(&options::window), "sends in flight per user (16)"}},
    {"body-size", {number(&options::body_size), "message body bytes (32)"}},
    {"parallel",
     {number(&options::parallel), "connections being set up at once (64)"}},
    {"rate",
     {number(&options::rate), "sends per second per user; 0: unlimited (0)"}},
    {"duration",
     {number(&options::duration),
      "seconds to send for; 0: until all are sent (0)"}},
    {"seed", {number(&options::seed), "random seed (1)"}},
  };
}

/// Faults, time limits and diagnostics.
option_table fault_options() {
  return {
    {"kill-every",
     {number(&options::kill_every),
      "SIGKILL and restart the child about every N s (off)"}},
    {"drop-every",
     {number(&options::drop_every),
      "drop a client's connection about every N s (off)"}},
    {"stall-every",
     {number(&options::stall_every),
      "make a client stop reading about every N s (off)"}},
    {"churn-every",
     {number(&options::churn_every),
      "a churn event about every N s, for churn (0.05)"}},
    {"settle",
     {number(&options::settle),
      "seconds without progress before the audit (15)"}},
    {"reply-timeout",
     {number(&options::reply_timeout), "seconds an answer may take (20)"}},
    {"trace",
     {text(&options::trace), "write every frame and event to FILE (off)"}},
    {"timeout", {number(&options::timeout), "overall deadline, s (600)"}},
    {"min-kills",
     {number(&options::min_kills),
      "fail unless at least N kills happened (0)"}},
  };
}

/// Every `--name=value` option.
const option_table& table() {
  static const option_table t = [] {
    auto all = run_options();
    auto faults = fault_options();
    all.insert(faults.begin(), faults.end());
    return all;
  }();
  return t;
}

[[noreturn]] void usage(int status) {
  auto& out = status == 0 ? std::cout : std::cerr;
  out << "kurir-sim: drives simulated users against kurird, injects faults\n"
         "and audits that nothing was lost, duplicated or reordered.\n\n"
         "usage: kurir-sim [--option=value ...] [--json] [--no-progress]\n"
         "                 [-- kurird arguments for the child]\n\n";
  for (auto& [name, info] : table())
    out << "  --" << name << std::string(14 - name.size(), ' ') << info.help
        << '\n';
  out << "  --json          print the report as JSON\n"
         "  --no-progress   no progress line on stderr\n"
         "  --keep-data     keep the child's data directory (and print it)\n";
  std::exit(status);
}

/// Returns what is wrong with `o`, or an empty string.
std::string check(const options& o) {
  static const char* known[]
    = {"dm", "group", "offline", "churn", "connect", "idle"};
  bool ok = false;
  for (auto* w : known)
    ok = ok || o.workload == w;
  if (!ok)
    return "unknown workload " + o.workload;
  if (o.users < 2 || o.window < 1 || o.parallel < 1)
    return "--users must be at least 2, --window and --parallel at least 1";
  if (o.workload == "group" && (o.groups < 1 || o.group_size < 2))
    return "--groups must be at least 1 and --group-size at least 2";
  if (o.port != 0 && o.kill_every > 0)
    return "--kill-every needs an own kurird child (--port=0)";
  if (o.prefix.size() > 16)
    return "--prefix is at most 16 characters";
  return {};
}

} // namespace

options parse_options(int argc, char** argv) {
  options o;
  o.progress = ::isatty(STDERR_FILENO) != 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      o.kurird_args.assign(argv + i + 1, argv + argc);
      break;
    }
    if (arg == "--help" || arg == "-h")
      usage(0);
    if (arg == "--json") {
      o.json = true;
      continue;
    }
    if (arg == "--keep-data") {
      o.keep_data = true;
      continue;
    }
    if (arg == "--no-progress") {
      o.progress = false;
      continue;
    }
    auto eq = arg.find('=');
    auto name = arg.substr(2, eq == std::string::npos ? eq : eq - 2);
    auto i_opt = table().find(name);
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos
        || i_opt == table().end()
        || !i_opt->second.set(o, arg.substr(eq + 1))) {
      std::cerr << "kurir-sim: bad option " << arg << "\n\n";
      usage(2);
    }
  }
  if (auto err = check(o); !err.empty()) {
    std::cerr << "kurir-sim: " << err << "\n\n";
    usage(2);
  }
  return o;
}

} // namespace kurir::sim
