// kurird: the kurir broker node. Run `kurird --help` for its options.

#include <csignal>
#include <cstdio>
#include <iostream>
#include <sys/stat.h>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>

#include "actors/messages.hpp"
#include "actors/node.hpp"
#include "proto/limits.hpp"

namespace {

/// Returns `ms` in seconds.
double secs(int64_t ms) {
  return static_cast<double>(ms) / 1000.0;
}

/// kurird's options on top of CAF's own (scheduler.*, middleman.*, ...);
/// every default comes from proto/limits.hpp.
class kurird_config : public caf::actor_system_config {
public:
  kurir::node_options opts;
  int64_t port = kurir::limits::port;
  int64_t tls_port = kurir::limits::tls_port;
  int64_t metrics_port = -1;
  int64_t web_port = kurir::limits::web_port;
  int64_t hash_workers = kurir::limits::hash_workers;
  int64_t max_batch = kurir::limits::max_batch;
  int64_t max_body = kurir::limits::max_body;
  int64_t max_unacked = kurir::limits::max_unacked;
  int64_t max_inflight = kurir::limits::max_inflight;
  double login_deadline = secs(kurir::limits::login_deadline_ms);
  int64_t max_outbound = kurir::limits::max_outbound;
  int64_t max_conns_per_ip = kurir::limits::max_connections_per_ip;
  int64_t max_new_conns_per_ip = kurir::limits::max_new_connections_per_ip;
  bool limit_loopback = false;
  double max_rate = kurir::limits::max_rate;
  double max_burst = kurir::limits::max_burst;
  double idle_ping = secs(kurir::limits::idle_ping_ms);
  double idle_close = secs(kurir::limits::idle_close_ms);
  double busy_timeout = secs(kurir::limits::busy_timeout_ms);
  bool print_limits = false;
  bool checkpoint_beside = false;

  kurird_config() {
    using kurir::limits::with_default;
    opt_group{custom_options_, "global"}
      .add(port, "port,p",
           with_default("plain TCP port (0: any free port, -1: off)", port))
      .add(opts.bind, "bind", "address to listen on (default 127.0.0.1)")
      .add(
        tls_port, "tls-port",
        with_default("TLS port, on when --tls-cert is set (-1: off)", tls_port))
      .add(opts.tls.cert_file, "tls-cert",
           "PEM certificate (a chain file works) for the TLS port")
      .add(opts.tls.key_file, "tls-key", "PEM private key of --tls-cert")
      .add(opts.tls.ciphers, "tls-ciphers",
           "OpenSSL cipher list for TLS 1.2 (default: ECDHE with AES-GCM or "
           "ChaCha20-Poly1305 only)")
      .add(opts.tls.min_version, "tls-min-version",
           "oldest TLS version accepted: 1.2 (default) or 1.3")
      .add(web_port, "web-port",
           with_default("web client and WebSocket port, HTTPS with "
                        "--tls-cert (0: any free port, -1: off)",
                        web_port))
      .add(opts.web_origin, "web-origin",
           "origins allowed to open a WebSocket, comma-separated, e.g. "
           "https://chat.example.org (default: the page's own host)")
      .add(metrics_port, "metrics-port",
           "port of GET /metrics, Prometheus text (0: any free port; "
           "default -1: off)")
      .add(opts.metrics_bind, "metrics-bind",
           "address of the metrics port (default 127.0.0.1)")
      .add(opts.data_dir, "data-dir,d",
           "data directory: database, log, seed files (default ./kurir-data)")
      .add(opts.db_file, "db-file", "SQLite database (default DATA/kurir.db)")
      .add(opts.log_file, "log-file", "event log (default DATA/log.txt)")
      .add(opts.users_file, "users-file",
           "seed user file to import (default DATA/user.txt)")
      .add(opts.groups_file, "groups-file",
           "seed group file to import (default DATA/grup.txt)")
      .add(opts.synchronous, "synchronous",
           "SQLite synchronous: FULL (default), EXTRA, NORMAL or OFF")
      .add(opts.hash_cost, "hash-cost",
           "argon2id cost: interactive (default) or min (tests only)")
      .add(hash_workers, "hash-workers",
           with_default("password hashing threads", hash_workers))
      .add(max_batch, "max-batch",
           with_default("messages per group commit", max_batch))
      .add(max_body, "max-body",
           with_default("largest message body in bytes", max_body))
      .add(max_unacked, "max-unacked",
           with_default("undelivered messages per recipient and direct "
                        "conversation before sends to them fail",
                        max_unacked))
      .add(max_inflight, "max-inflight",
           with_default("deliveries per session sent but not yet "
                        "acknowledged",
                        max_inflight))
      .add(login_deadline, "login-deadline",
           with_default("seconds from connect to login before closing",
                        login_deadline))
      .add(idle_ping, "idle-ping",
           with_default("seconds of silence before a ping", idle_ping))
      .add(max_conns_per_ip, "max-connections-per-ip",
           with_default("connections open at once from one address",
                        max_conns_per_ip))
      .add(max_new_conns_per_ip, "max-new-connections-per-ip",
           with_default("connections accepted from one address per 10 "
                        "minutes",
                        max_new_conns_per_ip))
      .add(max_rate, "max-rate",
           with_default("messages a second per connection; reads pause past "
                        "it, and a burst's worth more closes the connection; "
                        "0: no limit",
                        max_rate))
      .add(max_burst, "max-burst",
           with_default("messages at once before --max-rate", max_burst))
      .add(limit_loopback, "limit-loopback",
           "apply the per-address limits to loopback clients too (off)")
      .add(max_outbound, "max-outbound",
           with_default("bytes waiting for a client that does not read "
                        "before its connection is closed",
                        max_outbound))
      .add(idle_close, "idle-close",
           with_default("seconds of silence before closing", idle_close))
      .add(busy_timeout, "busy-timeout",
           with_default("seconds a commit waits for a database locked by "
                        "another process before its sends fail with "
                        "server_busy (0: fail at once)",
                        busy_timeout))
      .add(checkpoint_beside, "checkpoint-beside",
           "copy the WAL into the database file on a thread of its own "
           "beside the writer, not inside the commit that fills the WAL: "
           "smoother latency, about 8% more CPU per message")
      .add(print_limits, "print-limits",
           "print the limits table of docs/PROTOCOL.md and exit");
    add_message_types<caf::id_block::kurir>();
    config_file_path = "kurird.ini"; // also what --help shows
    load<caf::io::middleman>();
    // The multiplexer and the writer keep a core each busy under load; the
    // workers get the rest, at least one (docs/BENCHMARKS.md: on 2 cores one
    // worker moved 15% more dm deliveries than two, at 13% less CPU each).
    auto cores = std::thread::hardware_concurrency();
    auto workers = cores > 3 ? cores - 2 : 1u;
    set("scheduler.max-threads", workers);
    // With one or two workers there is nothing to steal from: CAF's work
    // stealing then only polls an empty queue and sleeps in short naps
    // (a wake-up and a context switch each), where the sharing policy
    // waits on a condition variable. On 2 cores, dm-100 (bench/thread-cpu):
    // with another build running, the worker's CPU per delivery 11.3-12.3
    // -> 7.3-7.5 us; on an idle machine 7.8-7.9 -> 6.7-7.8 us.
    if (workers <= 2)
      set("scheduler.policy", caf::atom("sharing"));
  }

  /// Copies the integer options into `opts`, checking their ranges.
  bool finish(std::ostream& err) {
    if (port < -1 || port > 65535 || tls_port < -1 || tls_port > 65535
        || metrics_port < -1 || metrics_port > 65535 || web_port < -1
        || web_port > 65535 || hash_workers < 1 || max_batch < 1 || max_body < 1
        || max_unacked < 1 || max_inflight < 1 || max_outbound < 1
        || max_conns_per_ip < 1 || max_new_conns_per_ip < 1
        || login_deadline <= 0 || idle_ping <= 0 || idle_close <= idle_ping
        || !(busy_timeout >= 0 && busy_timeout <= 86400)) {
      err << "kurird: --port, --tls-port, --web-port and --metrics-port must "
             "be -1-65535; "
             "--hash-workers, "
             "--max-batch, "
             "--max-body, --max-unacked, --max-inflight and --max-outbound "
             "must be "
             "positive; --login-deadline and --idle-ping positive and "
             "--idle-close greater than --idle-ping; --busy-timeout 0-86400\n";
      return false;
    }
    if (!opts.tls.cert_file.empty() && opts.tls.key_file.empty())
      opts.tls.key_file = opts.tls.cert_file; // one PEM file with both
    opts.port = static_cast<int32_t>(port);
    opts.tls_port = static_cast<int32_t>(tls_port);
    opts.metrics_port = static_cast<int32_t>(metrics_port);
    opts.web_port = static_cast<int32_t>(web_port);
    opts.hash_workers = static_cast<std::size_t>(hash_workers);
    opts.max_batch = static_cast<std::size_t>(max_batch);
    opts.session.max_body = static_cast<std::size_t>(max_body);
    opts.max_unacked = max_unacked;
    opts.session.max_inflight = static_cast<std::size_t>(max_inflight);
    auto ms = [](double secs) {
      return std::chrono::milliseconds{static_cast<int64_t>(secs * 1000)};
    };
    opts.session.login_deadline = ms(login_deadline);
    opts.session.max_outbound = static_cast<std::size_t>(max_outbound);
    opts.session.max_connections_per_ip
      = static_cast<std::size_t>(max_conns_per_ip);
    opts.session.max_new_connections_per_ip
      = static_cast<std::size_t>(max_new_conns_per_ip);
    opts.session.exempt_loopback = !limit_loopback;
    opts.session.max_rate = max_rate;
    opts.session.max_burst = max_burst;
    opts.session.idle_ping = ms(idle_ping);
    opts.session.idle_close = ms(idle_close);
    opts.busy_timeout = ms(busy_timeout);
    opts.checkpoint_beside = checkpoint_beside;
    return true;
  }
};

/// Blocks SIGINT, SIGTERM and SIGHUP in this thread and every thread
/// started later, so that only `sigwait` sees them.
sigset_t block_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

/// Returns "127.0.0.1:7777, TLS on 127.0.0.1:7443" (or either alone), then
/// ", web on http://127.0.0.1:7780/" and ", metrics on 127.0.0.1:P" if
/// those ports are on.
std::string listening(const kurir::node_options& opts, const kurir::node& n) {
  std::string res;
  if (n.port != 0)
    res = opts.bind + ":" + std::to_string(n.port);
  if (n.tls_port != 0)
    res += (res.empty() ? "" : ", TLS on ") + opts.bind + ":"
           + std::to_string(n.tls_port) + (n.port == 0 ? " (TLS)" : "");
  if (n.web_port != 0)
    res += std::string{res.empty() ? "" : ", "} + "web on "
           + (n.web_tls ? "https://" : "http://") + opts.bind + ":"
           + std::to_string(n.web_port) + "/";
  if (n.metrics_port != 0)
    res += ", metrics on " + opts.metrics_bind + ":"
           + std::to_string(n.metrics_port);
  return res;
}

/// SIGHUP: reads the TLS certificate and key again; says what happened.
void reload(caf::actor_system& sys, kurir::node& n) {
  if (n.tls_port == 0 && !n.web_tls) {
    std::cout << "kurird: SIGHUP: no TLS port, nothing to reload" << std::endl;
    return;
  }
  auto why = kurir::reload_tls(sys, n);
  if (why.empty())
    std::cout << "kurird: SIGHUP: TLS certificate reloaded" << std::endl;
  else
    std::cerr << "kurird: SIGHUP: TLS certificate NOT reloaded, keeping the "
                 "old one: "
              << why << std::endl;
}

} // namespace

int main(int argc, char** argv) {
  kurird_config cfg;
  ::umask(027); // the database and the log are not for other users
  if (auto err = cfg.parse(argc, argv, cfg.config_file_path.c_str())) {
    std::cerr << "kurird: " << cfg.render(err) << '\n';
    return 1;
  }
  if (cfg.cli_helptext_printed)
    return 0;
  if (cfg.print_limits) {
    std::cout << kurir::limits::limit_table_markdown();
    return 0;
  }
  if (!cfg.finish(std::cerr))
    return 1;
  auto signals = block_signals();
  caf::actor_system sys{cfg};
  auto n = kurir::start_node(sys, cfg.opts);
  if (!n) {
    std::cerr << "kurird: " << n.error().detail << '\n';
    return 1;
  }
  std::cout << "kurird: listening on " << listening(cfg.opts, *n)
            << ", data in " << cfg.opts.data_dir << std::endl;
  int sig = 0;
  while (sigwait(&signals, &sig) == 0 && sig == SIGHUP)
    reload(sys, *n);
  std::cout << "kurird: " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
            << ", shutting down" << std::endl;
  kurir::stop_node(sys, *n);
  std::cout << "kurird: stopped" << std::endl;
  return 0;
}
