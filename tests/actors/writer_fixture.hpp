#pragma once

// The writer test fixture: a counting store, a registry stand-in, a sender
// stand-in and CAF's deterministic scheduler (writer_test.cpp,
// writer_batching_test.cpp).

#include <catch2/catch.hpp>

#include <memory>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "actors/writer/writer_actor.hpp"
#include "persistence/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace writer_test {

using namespace kurir;
using persistence::stored_message;
using std::chrono::milliseconds;

/// Forwards to a real store; counts commits and can fail the next one, or
/// find the database busy the next `busy_next` times.
class counting_store : public persistence::store {
public:
  explicit counting_store(std::unique_ptr<persistence::store> inner)
      : inner_(std::move(inner)) {}
  int commits = 0;
  int user_commits = 0; ///< add_users calls
  bool fail_next = false;
  int busy_next = 0;
  outcome<done> add_user(const persistence::user_record& u) override {
    return inner_->add_user(u);
  }
  outcome<std::vector<outcome<done>>>
  add_users(const std::vector<persistence::user_record>& us) override {
    ++user_commits;
    if (busy_next > 0) {
      --busy_next;
      return failure{errc::server_busy, "database is locked (test)"};
    }
    return inner_->add_users(us);
  }
  outcome<persistence::user_record> find_user(std::string_view n) override {
    return inner_->find_user(n);
  }
  outcome<done> set_hash(std::string_view n, std::string_view h) override {
    return inner_->set_hash(n, h);
  }
  outcome<done> ensure_group(const persistence::group_record& g) override {
    return inner_->ensure_group(g);
  }
  outcome<std::vector<persistence::group_record>> groups() override {
    return inner_->groups();
  }
  outcome<persistence::group_record>
  change_group(const persistence::membership_change& c) override {
    return inner_->change_group(c);
  }
  outcome<persistence::group_record> group(std::string_view n) override {
    return inner_->group(n);
  }
  outcome<std::vector<std::string>> groups_of(std::string_view m) override {
    return inner_->groups_of(m);
  }
  outcome<std::vector<std::string>> contacts(std::string_view u) override {
    return inner_->contacts(u);
  }
  outcome<std::vector<outcome<stored_message>>>
  commit(const persistence::write_batch& b) override {
    ++commits;
    if (fail_next) {
      fail_next = false;
      return failure{errc::storage_full, "disk full (test)"};
    }
    if (busy_next > 0) {
      --busy_next;
      return failure{errc::server_busy, "database is locked (test)"};
    }
    return inner_->commit(b);
  }
  outcome<std::vector<stored_message>> pending(std::string_view m,
                                               persistence::backlog_key after,
                                               std::size_t limit) override {
    return inner_->pending(m, after, limit);
  }
  outcome<std::vector<stored_message>>
  history(const persistence::history_query& q) override {
    return inner_->history(q);
  }
  int checkpoints = 0; ///< checkpoint() calls
  persistence::store_stats stats() const override { return inner_->stats(); }
  outcome<done> checkpoint() override {
    ++checkpoints;
    return inner_->checkpoint();
  }

private:
  std::unique_ptr<persistence::store> inner_;
};

using routed_list = std::shared_ptr<std::vector<stored_message>>;

/// A registry stand-in that records what the writer routes to it; group
/// actors subscribe and find nobody online.
inline registry_handle::behavior_type fake_registry(routed_list routed) {
  return {
    [](login_atom, const std::string&, const caf::actor&,
       const std::vector<std::string>&) { return caf::ok_atom_v; },
    [](who_atom, const std::string&) { return std::vector<std::string>{}; },
    [](logout_atom, const std::string&, const caf::actor&) {},
    [=](route_atom, const persistence::message_list& msgs) {
      routed->insert(routed->end(), msgs.begin(), msgs.end());
    },
    [](subscribe_atom, const caf::actor&, const std::vector<std::string>&,
       const std::vector<std::string>&) { return live_sessions{}; },
    [](unsubscribe_atom, const caf::actor&, const std::vector<std::string>&) {},
  };
}

struct fixture {
  test::temp_dir dir;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  std::shared_ptr<counting_store> db;
  routed_list routed = std::make_shared<std::vector<stored_message>>();

  fixture() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.add_message_types<caf::id_block::kurir>();
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    start = sched->clock().now();
    auto st = persistence::sqlite_store::open({dir.file("kurir.db")});
    REQUIRE(st);
    db = std::make_shared<counting_store>(std::move(*st));
    for (auto name : {"alice", "bob"})
      REQUIRE(db->add_user({name, "h", "test", 0}));
  }

  ~fixture() {
    // A delayed flush holds the writer alive: let it run so the system can
    // shut down.
    sched->trigger_timeouts();
    sched->run();
  }

  writer_handle spawn_writer(std::size_t max_batch,
                             milliseconds busy_timeout = milliseconds{5000},
                             writer_settings ws = {}) {
    auto reg = sys->spawn(fake_registry, routed);
    auto log = std::make_shared<persistence::event_log>();
    REQUIRE(log->open(dir.file("log.txt")));
    auto log_actor = sys->spawn(event_log_actor, log, system_wall_clock());
    ws.max_batch = max_batch;
    ws.busy_timeout = busy_timeout;
    wall_clock clock = [] { return int64_t{42}; };
    return sys->spawn(writer_actor, db, reg, log_actor, clock, ws);
  }

  /// Fires the next timeout of CAF's virtual clock and runs what it caused.
  bool tick() {
    if (!sched->trigger_timeout())
      return false;
    sched->run();
    return true;
  }

  caf::actor_clock::time_point start; ///< the virtual clock at the start

  /// Virtual time since the start.
  milliseconds elapsed() {
    using std::chrono::duration_cast;
    return duration_cast<milliseconds>(sched->clock().now() - start);
  }
};

inline persistence::append_request to_bob(std::string body) {
  return {"alice", "bob", std::move(body), 0, {}};
}

using answer_list = std::shared_ptr<std::vector<std::string>>;

/// A sender stand-in: a string is one append to bob, a vector of strings a
/// session's batch, a membership change and a drain are passed on; each
/// answer is recorded as it arrives: "ok BODY SEQ", "changed", "drained"
/// or "error CODE" (one per request that failed as a whole).
inline caf::behavior sender(caf::event_based_actor* self, writer_handle writer,
                            answer_list answers) {
  auto on_error = [=](caf::error& e) {
    answers->push_back("error " + std::string{to_wire(to_failure(e).code)});
  };
  auto ok = [=](const stored_message& m) {
    answers->push_back("ok " + m.body + " " + std::to_string(m.seq));
  };
  return {
    [=](drain_atom) {
      self->request(writer, caf::infinite, drain_atom_v)
        .then([=](caf::ok_atom) { answers->push_back("drained"); }, on_error);
    },
    [=](const persistence::membership_change& c) {
      self->request(writer, caf::infinite, change_atom_v, c)
        .then(
          [=](persistence::group_record&) { answers->push_back("changed"); },
          on_error);
    },
    [=](const std::string& body) {
      self->request(writer, caf::infinite, append_atom_v, to_bob(body))
        .then([=](stored_message& m) { ok(m); }, on_error);
    },
    [=](const std::vector<std::string>& bodies) {
      std::vector<persistence::append_request> reqs;
      for (const auto& body : bodies)
        reqs.push_back(to_bob(body));
      self->request(writer, caf::infinite, append_atom_v, std::move(reqs))
        .then(
          [=](append_results& res) {
            for (auto& r : res) // a failed one shows as "ok  0"
              ok(r.msg);
          },
          on_error);
    },
  };
}

} // namespace writer_test
