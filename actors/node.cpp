#include "actors/node.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/auth/hasher_actor.hpp"
#include "actors/checkpoint/checkpoint_actor.hpp"
#include "actors/eventlog/event_log_actor.hpp"
#include "actors/listener/listener.hpp"
#include "actors/messages.hpp"
#include "actors/metrics/http_broker.hpp"
#include "actors/metrics/metrics_actor.hpp"
#include "actors/registry/registry_actor.hpp"
#include "actors/spool/spool_actor.hpp"
#include "actors/tls/tls_worker.hpp"
#include "actors/writer/writer_actor.hpp"
#include "persistence/seed_import.hpp"
#include "persistence/sqlite_store.hpp"

namespace kurir {

namespace {

std::string read_file(const std::string& path, bool& found) {
  std::ifstream in{path, std::ios::binary};
  found = static_cast<bool>(in);
  std::ostringstream buf;
  if (found)
    buf << in.rdbuf();
  return buf.str();
}

/// FNV-1a: a stable fingerprint of the seed files' contents.
uint64_t fnv1a(const std::string& text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

outcome<done> import_seed_files(persistence::store& db,
                                const node_options& opts,
                                const persistence::hash_cost& cost,
                                persistence::event_log& log, int64_t now) {
  bool have_users = false;
  bool have_groups = false;
  auto user_text = read_file(opts.users_file, have_users);
  auto group_text = read_file(opts.groups_file, have_groups);
  if (!have_users && !have_groups)
    return done{};
  // Import a version of the seed files once: re-importing an unchanged
  // grup.txt would bring back members who left since.
  auto stamp = std::to_string(fnv1a(user_text + '\0' + group_text));
  auto stamp_file = opts.data_dir + "/.seed-imported";
  bool have_stamp = false;
  if (read_file(stamp_file, have_stamp) == stamp)
    return done{};
  auto users = persistence::parse_user_file(user_text);
  auto groups = persistence::parse_group_file(group_text);
  auto hash
    = [&](std::string_view pw) { return persistence::hash_password(pw, cost); };
  auto report = persistence::import_seed(db, users, groups, hash, now);
  if (!report)
    return report.error();
  for (auto* warnings : {&users.warnings, &groups.warnings, &report->warnings})
    for (auto& w : *warnings)
      log.append(now, persistence::escape_for_log("import warning: " + w));
  log.append(now, "import users added " + std::to_string(report->users_added)
                    + " present " + std::to_string(report->users_present)
                    + " groups " + std::to_string(report->groups_ensured));
  // Written after the import committed: a crash in between imports again,
  // which is idempotent.
  std::ofstream{stamp_file, std::ios::trunc} << stamp;
  return done{};
}

template<class Handle>
void wait_for(caf::scoped_actor& self, const Handle& h, drain_atom) {
  self->request(h, std::chrono::seconds(30), drain_atom_v)
    .receive([](caf::ok_atom) {}, [](caf::error&) {});
}

} // namespace

void resolve_paths(node_options& opts) {
  auto in_dir = [&](std::string& path, const char* file) {
    if (path.empty())
      path = opts.data_dir + "/" + file;
  };
  in_dir(opts.db_file, "kurir.db");
  in_dir(opts.log_file, "log.txt");
  in_dir(opts.users_file, "user.txt");
  in_dir(opts.groups_file, "grup.txt");
}

outcome<persistence::hash_cost> parse_hash_cost(const std::string& name) {
  if (name == "interactive")
    return persistence::hash_cost::interactive();
  if (name == "min")
    return persistence::hash_cost::minimal();
  return {errc::bad_request,
          "hash-cost must be \"interactive\" or \"min\", not \"" + name + "\""};
}

namespace {

struct opened {
  std::shared_ptr<persistence::store> rw;
  std::shared_ptr<persistence::store> ro;
  std::shared_ptr<persistence::event_log> log;
  std::shared_ptr<persistence::sqlite_checkpointer> checkpointer;
};

outcome<opened> open_storage(const node_options& opts,
                             const persistence::hash_cost& cost, int64_t now) {
  if (::mkdir(opts.data_dir.c_str(), 0750) != 0 && errno != EEXIST)
    return {errc::storage_error,
            "cannot create data directory " + opts.data_dir};
  opened res;
  res.log = std::make_shared<persistence::event_log>();
  if (auto ok = res.log->open(opts.log_file); !ok)
    return ok.error();
  auto wait_ms = std::min<int64_t>(opts.busy_timeout.count(), INT_MAX);
  persistence::sqlite_options so{opts.db_file, opts.synchronous,
                                 static_cast<int>(wait_ms), false};
  so.auto_checkpoint = !(opts.detach_io && opts.checkpoint_beside);
  auto rw = persistence::sqlite_store::open(so);
  if (!rw)
    return rw.error();
  if (auto ok = import_seed_files(**rw, opts, cost, *res.log, now); !ok)
    return ok.error();
  if (!so.auto_checkpoint) {
    auto ckpt = persistence::sqlite_checkpointer::open(so);
    if (!ckpt)
      return ckpt.error();
    res.checkpointer = std::move(*ckpt);
  }
  so.read_only = true;
  auto ro = persistence::sqlite_store::open(so);
  if (!ro)
    return ro.error();
  (*rw)->set_busy_timeout(std::chrono::milliseconds{0}); // see writer_busy.cpp
  res.rw = std::move(*rw);
  res.ro = std::move(*ro);
  res.log->flush();
  return res;
}

services spawn_services(caf::actor_system& sys, const node_options& opts,
                        const persistence::hash_cost& cost, opened& st) {
  services svc;
  auto clock = system_wall_clock();
  svc.settings = opts.session;
  svc.dummy_hash = persistence::hash_password("kurir-unknown-user", cost);
  if (opts.detach_io) // file writes never stall a scheduler thread
    svc.log = sys.spawn<caf::detached>(event_log_actor, st.log, clock);
  else
    svc.log = sys.spawn(event_log_actor, st.log, clock);
  svc.registry = sys.spawn(registry_actor);
  writer_settings wcfg;
  wcfg.max_batch = opts.max_batch;
  wcfg.max_unacked = opts.max_unacked;
  wcfg.busy_timeout = opts.busy_timeout;
  if (opts.detach_io) {
    if (st.checkpointer)
      wcfg.checkpointer
        = sys.spawn<caf::detached>(checkpoint_actor, st.checkpointer);
    svc.writer = sys.spawn<caf::detached>(writer_actor, st.rw, svc.registry,
                                          svc.log, clock, wcfg);
    svc.spool = sys.spawn<caf::detached>(spool_actor, st.ro);
  } else {
    svc.writer
      = sys.spawn(writer_actor, st.rw, svc.registry, svc.log, clock, wcfg);
    svc.spool = sys.spawn(spool_actor, st.ro);
  }
  svc.hasher = sys.spawn(auth_actor, cost, opts.hash_workers, opts.detach_io,
                         svc.log, svc.writer);
  if (opts.metrics_port >= 0)
    svc.metrics = sys.spawn(metrics_actor, svc.writer, svc.hasher);
  if (!opts.tls.cert_file.empty() && (opts.tls_port >= 0 || opts.web_port >= 0))
    for (std::size_t i = 0; i < limits::tls_workers; ++i)
      svc.tls_workers.push_back(opts.detach_io
                                  ? sys.spawn<caf::detached>(tls_worker_actor)
                                  : sys.spawn(tls_worker_actor));
  return svc;
}

/// Asks the listener to open one port (plain; TLS with `tls_atom`; the web
/// port with `web_atom` and its origins); returns the bound port.
template<class... Kind>
outcome<uint16_t> open_port(caf::actor_system& sys, node& n,
                            const std::string& bind, int32_t port,
                            Kind... kind) {
  caf::scoped_actor self{sys};
  outcome<uint16_t> res{errc::internal_error, "the listener did not answer"};
  self
    ->request(n.listener, std::chrono::seconds(10), caf::open_atom_v, kind...,
              static_cast<uint16_t>(port), bind)
    .receive([&](uint16_t bound) { res = bound; },
             [&](caf::error& err) {
               res = failure{errc::internal_error,
                             "cannot listen on " + bind + ":"
                               + std::to_string(port) + ": " + sys.render(err)};
             });
  return res;
}

/// Opens the plain port unless it is -1, and the TLS port when a
/// certificate is configured and it is not -1.
outcome<done> listen(caf::actor_system& sys, node& n,
                     const node_options& opts) {
  auto with_tls = !opts.tls.cert_file.empty() && opts.tls_port >= 0;
  if (opts.port < 0 && !with_tls && opts.web_port < 0)
    return failure{errc::internal_error,
                   "no port to listen on: the plain and web ports are off "
                   "(-1) and no TLS certificate is configured (--tls-cert)"};
  if (opts.port >= 0) {
    auto p = open_port(sys, n, opts.bind, opts.port);
    if (!p)
      return p.error();
    n.port = *p;
  }
  if (with_tls) {
    auto p = open_port(sys, n, opts.bind, opts.tls_port, tls_atom_v);
    if (!p)
      return p.error();
    n.tls_port = *p;
  }
  if (opts.web_port >= 0) {
    auto p = open_port(sys, n, opts.bind, opts.web_port, web_atom_v,
                       opts.web_origin);
    if (!p)
      return p.error();
    n.web_port = *p;
    n.web_tls = !opts.tls.cert_file.empty();
  }
  return done{};
}

/// Opens the metrics port when it is not -1; its broker asks `metrics`.
outcome<done> listen_metrics(caf::actor_system& sys, node& n,
                             const node_options& opts) {
  if (!n.svc.metrics)
    return done{};
  caf::anon_send(n.svc.metrics, caf::add_atom_v, n.listener);
  n.metrics_http
    = sys.middleman().spawn_broker(metrics_http_actor, n.svc.metrics);
  caf::scoped_actor self{sys};
  outcome<done> res{errc::internal_error, "the metrics port did not answer"};
  self
    ->request(n.metrics_http, std::chrono::seconds(10), caf::open_atom_v,
              static_cast<uint16_t>(opts.metrics_port), opts.metrics_bind)
    .receive(
      [&](uint16_t bound) {
        n.metrics_port = bound;
        res = done{};
      },
      [&](caf::error& err) {
        res = failure{errc::internal_error,
                      "cannot listen for metrics on " + opts.metrics_bind + ":"
                        + std::to_string(opts.metrics_port) + ": "
                        + sys.render(err)};
      });
  return res;
}

} // namespace

outcome<node> start_node(caf::actor_system& sys, node_options opts) {
  resolve_paths(opts);
  auto cost = parse_hash_cost(opts.hash_cost);
  if (!cost)
    return cost.error();
  auto st = open_storage(opts, *cost, system_wall_clock()());
  if (!st)
    return st.error();
  node n;
  n.svc = spawn_services(sys, opts, *cost, *st);
  n.listener
    = sys.middleman().spawn_broker(net::listener_actor, n.svc, opts.tls);
  auto ok = listen(sys, n, opts);
  if (ok)
    ok = listen_metrics(sys, n, opts);
  if (!ok) {
    stop_node(sys, n);
    return ok.error();
  }
  return n;
}

std::string reload_tls(caf::actor_system& sys, node& n) {
  caf::scoped_actor self{sys};
  std::string res = "the listener did not answer";
  self->request(n.listener, std::chrono::seconds(10), reload_atom_v)
    .receive([&](std::string& why) { res = std::move(why); },
             [&](caf::error& err) { res = sys.render(err); });
  return res;
}

void stop_node(caf::actor_system& sys, node& n) {
  caf::scoped_actor self{sys};
  if (n.listener)
    self->request(n.listener, std::chrono::seconds(30), shutdown_atom_v)
      .receive([](caf::ok_atom) {}, [](caf::error&) {});
  wait_for(self, n.svc.writer, drain_atom_v);
  wait_for(self, n.svc.log, drain_atom_v);
  for (auto h : {caf::actor_cast<caf::actor>(n.svc.writer),
                 caf::actor_cast<caf::actor>(n.svc.spool),
                 caf::actor_cast<caf::actor>(n.svc.registry),
                 caf::actor_cast<caf::actor>(n.svc.hasher),
                 caf::actor_cast<caf::actor>(n.svc.log),
                 caf::actor_cast<caf::actor>(n.svc.metrics), n.metrics_http,
                 caf::actor_cast<caf::actor>(n.listener)})
    if (h)
      self->send_exit(h, caf::exit_reason::user_shutdown);
  for (auto& w : n.svc.tls_workers)
    self->send_exit(w, caf::exit_reason::user_shutdown);
}

} // namespace kurir
