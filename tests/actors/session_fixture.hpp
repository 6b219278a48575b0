#pragma once

// The session test fixture: a real session with a stand-in socket broker,
// and the real writer, spool, registry, hasher and event log on a temporary
// database, under CAF's deterministic scheduler (session_test.cpp,
// session_hold_test.cpp).

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/send.hpp>

#include "actors/auth/hasher_actor.hpp"
#include "actors/eventlog/event_log_actor.hpp"
#include "actors/messages.hpp"
#include "actors/metrics/metrics_actor.hpp"
#include "actors/registry/registry_actor.hpp"
#include "actors/session/session_actor.hpp"
#include "actors/spool/spool_actor.hpp"
#include "actors/writer/writer_actor.hpp"
#include "net/command.hpp"
#include "net/frame.hpp"
#include "persistence/password.hpp"
#include "persistence/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace session_test {

using namespace kurir;
using std::chrono::milliseconds;

/// What a stand-in socket broker was told by its session.
struct conn_log {
  std::vector<std::string> frames; ///< every frame written, in order
  uint64_t max_frame = 0;          ///< the last frame limit set
  bool close_asked = false;
  /// Runs for each frame as it arrives (while the session's write is new).
  std::function<void(const std::string&)> on_frame;
};

using conn_log_ptr = std::shared_ptr<conn_log>;

/// The socket broker's side of a session: records what it writes.
inline caf::behavior fake_conn(caf::event_based_actor* self, conn_log_ptr log) {
  return {
    [=](const outbound& out) {
      std::size_t start = 0;
      for (auto end = out.bytes.find('\n'); end != std::string::npos;
           start = end + 1, end = out.bytes.find('\n', start)) {
        log->frames.push_back(out.bytes.substr(start, end - start));
        if (log->on_frame)
          log->on_frame(log->frames.back());
      }
    },
    [=](frame_limit_atom, uint64_t n) { log->max_frame = n; },
    [=](caf::close_atom) {
      log->close_asked = true;
      self->quit();
    },
  };
}

/// Returns the frames of `log` that start with `prefix`.
inline std::vector<std::string> with_prefix(const conn_log& log,
                                            std::string_view prefix) {
  std::vector<std::string> out;
  for (const auto& f : log.frames)
    if (f.compare(0, prefix.size(), prefix) == 0)
      out.push_back(f);
  return out;
}

/// One connection: the stand-in broker and its session.
struct client {
  conn_log_ptr log = std::make_shared<conn_log>();
  caf::actor conn;
  caf::actor session;
  net::decoder_state decoder;
};

struct fixture {
  test::temp_dir dir;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  std::shared_ptr<persistence::store> read_only;
  services svc;
  std::vector<std::unique_ptr<client>> clients;

  fixture() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.add_message_types<caf::id_block::kurir>();
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    svc.settings.max_inflight = 3; // small enough to fill in a test
  }

  ~fixture() {
    for (auto& c : clients) {
      caf::anon_send_exit(c->session, caf::exit_reason::kill);
      caf::anon_send_exit(c->conn, caf::exit_reason::kill);
    }
    for (auto h : {caf::actor_cast<caf::actor>(svc.writer),
                   caf::actor_cast<caf::actor>(svc.spool),
                   caf::actor_cast<caf::actor>(svc.registry),
                   caf::actor_cast<caf::actor>(svc.hasher),
                   caf::actor_cast<caf::actor>(svc.log)})
      caf::anon_send_exit(h, caf::exit_reason::kill);
    sched->run();
    while (sched->has_pending_timeout()) { // nothing may outlive the test
      sched->trigger_timeouts();
      sched->run();
    }
  }

  /// Opens the database with alice, bob and carol, spawns the services.
  void start() {
    auto path = dir.file("kurir.db");
    auto rw = persistence::sqlite_store::open({path, "OFF"});
    REQUIRE(rw);
    auto cost = persistence::hash_cost::minimal();
    auto hash = persistence::hash_password("password1", cost);
    for (auto name : {"alice", "bob", "carol"})
      REQUIRE((*rw)->add_user({name, hash, "seed", 0}));
    auto ro = persistence::sqlite_store::open({path, "OFF", 5000, true});
    REQUIRE(ro);
    read_only = std::move(*ro);
    svc.dummy_hash = persistence::hash_password("kurir-unknown-user", cost);
    auto file = std::make_shared<persistence::event_log>();
    REQUIRE(file->open(dir.file("log.txt")));
    wall_clock clock = [] { return int64_t{1793491200000}; };
    svc.log = sys->spawn(event_log_actor, file, clock);
    svc.registry = sys->spawn(registry_actor);
    svc.writer = sys->spawn(writer_actor, std::move(*rw), svc.registry, svc.log,
                            clock, writer_settings{});
    svc.hasher = sys->spawn(auth_actor, cost, std::size_t{1}, false, svc.log,
                            svc.writer);
    svc.spool = sys->spawn(spool_actor, read_only);
    sched->run();
  }

  /// A new connection from `peer`.
  client& connect(std::string peer = "10.0.0.1:40001") {
    auto c = std::make_unique<client>();
    c->conn = sys->spawn(fake_conn, c->log);
    c->session = sys->spawn(session_actor, c->conn, peer, svc);
    clients.push_back(std::move(c));
    sched->run();
    return *clients.back();
  }

  /// Bytes from the client, decoded and parsed as the socket broker does;
  /// the frames of one call arrive in one message. Runs nothing.
  void say(client& c, std::string_view bytes) {
    auto res = net::decode(c.decoder, bytes, 65536);
    REQUIRE(res.error == errc::none);
    std::vector<inbound> ins;
    for (auto& raw : res.frames) {
      auto p = net::parse_command(raw);
      ins.push_back(inbound{std::move(p.cmd), p.error, std::move(p.detail)});
    }
    caf::anon_send(c.session, std::move(ins));
  }

  /// Sends `bytes` and runs every actor until nothing is left to do.
  void call(client& c, std::string_view bytes) {
    say(c, bytes);
    sched->run();
  }

  /// A connection of `user` logged in with acknowledgements.
  client& login(const std::string& user) {
    auto& c = connect();
    call(c, "--hello--|2|ack;--login--|" + user + "|password1;");
    REQUIRE(with_prefix(*c.log, "--ok--|login|" + user).size() == 1);
    return c;
  }

  /// Lets `d` pass on CAF's clock, firing due timers, then runs.
  void advance(milliseconds d) {
    sched->advance_time(d);
    sched->run();
  }

  /// The session's state (white box).
  static session_state& state(client& c) {
    auto* p = caf::actor_cast<caf::abstract_actor*>(c.session);
    return static_cast<caf::stateful_actor<session_state>*>(p)->state;
  }
};

/// Returns field `i` of frame `f` (fields split at `|`, `;` dropped).
inline std::string field(const std::string& f, std::size_t i) {
  auto fields = net::split_fields(f.substr(0, f.size() - 1), 16);
  return i < fields.size() ? fields[i] : std::string{};
}

} // namespace session_test
