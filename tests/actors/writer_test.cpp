// The writer under CAF's deterministic scheduler: group commit, answers in
// order, routing after commit, and no confirmation for a failed commit.

#include <catch2/catch.hpp>

#include <memory>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/errors.hpp"
#include "actors/messages.hpp"
#include "actors/writer/writer_actor.hpp"
#include "persistence/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace kurir;
using persistence::stored_message;

namespace {

/// Forwards to a real store; counts commits and can fail the next one.
class counting_store : public persistence::store {
public:
  explicit counting_store(std::unique_ptr<persistence::store> inner)
      : inner_(std::move(inner)) {}
  int commits = 0;
  bool fail_next = false;
  outcome<done> add_user(const persistence::user_record& u) override {
    return inner_->add_user(u);
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

private:
  std::unique_ptr<persistence::store> inner_;
};

using routed_list = std::shared_ptr<std::vector<stored_message>>;

/// A registry stand-in that records what the writer routes to it; group
/// actors subscribe and find nobody online.
registry_handle::behavior_type fake_registry(routed_list routed) {
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

  writer_handle spawn_writer(std::size_t max_batch) {
    auto reg = sys->spawn(fake_registry, routed);
    auto log = std::make_shared<persistence::event_log>();
    REQUIRE(log->open(dir.file("log.txt")));
    auto log_actor = sys->spawn(event_log_actor, log, system_wall_clock());
    writer_settings ws;
    ws.max_batch = max_batch;
    wall_clock clock = [] { return int64_t{42}; };
    return sys->spawn(writer_actor, db, reg, log_actor, clock, ws);
  }
};

persistence::append_request to_bob(std::string body) {
  return {"alice", "bob", std::move(body), 0, {}};
}

} // namespace

TEST_CASE_METHOD(fixture, "appends queued together share one commit",
                 "[actors][writer]") {
  auto writer = spawn_writer(256);
  caf::scoped_actor self{*sys};
  std::vector<stored_message> got;
  auto on_ok = [&](stored_message& m) { got.push_back(m); };
  auto on_err = [&](caf::error& e) { FAIL(sys->render(e)); };
  auto r1 = self->request(writer, caf::infinite, append_atom_v, to_bob("1"));
  auto r2 = self->request(writer, caf::infinite, append_atom_v, to_bob("2"));
  auto r3 = self->request(writer, caf::infinite, append_atom_v, to_bob("3"));
  sched->run();
  r1.receive(on_ok, on_err);
  r2.receive(on_ok, on_err);
  r3.receive(on_ok, on_err);
  CHECK(db->commits == 1);
  REQUIRE(got.size() == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(got[i].seq == i + 1);
    CHECK(got[i].body == std::to_string(i + 1));
    CHECK(got[i].ts_ms == 42); // time comes from the clock handed in
  }
  REQUIRE(routed->size() == 3); // routed after commit, in commit order
  CHECK((*routed)[0].id == got[0].id);
  CHECK((*routed)[2].id == got[2].id);
}

TEST_CASE_METHOD(fixture, "a full batch commits without waiting",
                 "[actors][writer]") {
  auto writer = spawn_writer(2);
  caf::scoped_actor self{*sys};
  for (int i = 0; i < 3; ++i)
    self->send(writer, append_atom_v, to_bob(std::to_string(i)));
  sched->run();
  CHECK(db->commits == 2);
  CHECK(routed->size() == 3);
}

TEST_CASE_METHOD(fixture, "a failed commit confirms nothing and routes nothing",
                 "[actors][writer]") {
  auto writer = spawn_writer(256);
  db->fail_next = true;
  caf::scoped_actor self{*sys};
  auto r1 = self->request(writer, caf::infinite, append_atom_v, to_bob("1"));
  auto r2 = self->request(writer, caf::infinite, append_atom_v, to_bob("2"));
  sched->run();
  int errors = 0;
  auto on_ok = [&](stored_message&) { FAIL("confirmed a failed commit"); };
  auto on_err = [&](caf::error& e) {
    CHECK(to_failure(e).code == errc::storage_full);
    ++errors;
  };
  r1.receive(on_ok, on_err);
  r2.receive(on_ok, on_err);
  CHECK(errors == 2);
  CHECK(routed->empty());
  auto pending = db->pending("bob", {}, 10);
  REQUIRE(pending);
  CHECK(pending->empty());
}

TEST_CASE_METHOD(fixture,
                 "cursor moves of a failed commit are kept for the next one",
                 "[actors][writer]") {
  auto writer = spawn_writer(256);
  caf::scoped_actor self{*sys};
  auto r = self->request(writer, caf::infinite, append_atom_v, to_bob("1"));
  sched->run();
  stored_message first;
  r.receive([&](stored_message& m) { first = m; },
            [&](caf::error&) { FAIL("the first append failed"); });
  db->fail_next = true; // e.g. the disk is full
  self->send(
    writer, advance_atom_v,
    std::vector<persistence::cursor_update>{{"bob", first.conv, first.seq}});
  self->send(writer, drain_atom_v);
  sched->run();
  CHECK(db->pending("bob", {}, 10)->size() == 1); // not stored yet
  self->send(writer, drain_atom_v);               // the space returned
  sched->run();
  CHECK(db->commits == 3);
  CHECK(db->pending("bob", {}, 10)->empty());
}

TEST_CASE_METHOD(fixture, "an append to an unknown user fails alone",
                 "[actors][writer]") {
  auto writer = spawn_writer(256);
  caf::scoped_actor self{*sys};
  auto bad
    = self->request(writer, caf::infinite, append_atom_v,
                    persistence::append_request{"alice", "nobody", "x", 0, {}});
  auto good = self->request(writer, caf::infinite, append_atom_v, to_bob("ok"));
  sched->run();
  bad.receive(
    [](stored_message&) { FAIL("stored for nobody"); },
    [](caf::error& e) { CHECK(to_failure(e).code == errc::no_such_user); });
  good.receive([](stored_message& m) { CHECK(m.body == "ok"); },
               [&](caf::error& e) { FAIL(sys->render(e)); });
  CHECK(db->commits == 1);
  CHECK(routed->size() == 1);
}
