// The writer under CAF's deterministic scheduler: group commit, answers in
// order, routing after commit, no confirmation for a failed commit, and a
// busy database waited for on CAF's virtual clock.

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

using namespace kurir;
using persistence::stored_message;
using std::chrono::milliseconds;

namespace {

/// Forwards to a real store; counts commits and can fail the next one, or
/// find the database busy the next `busy_next` times.
class counting_store : public persistence::store {
public:
  explicit counting_store(std::unique_ptr<persistence::store> inner)
      : inner_(std::move(inner)) {}
  int commits = 0;
  bool fail_next = false;
  int busy_next = 0;
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
                             milliseconds busy_timeout = milliseconds{5000}) {
    auto reg = sys->spawn(fake_registry, routed);
    auto log = std::make_shared<persistence::event_log>();
    REQUIRE(log->open(dir.file("log.txt")));
    auto log_actor = sys->spawn(event_log_actor, log, system_wall_clock());
    writer_settings ws;
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

persistence::append_request to_bob(std::string body) {
  return {"alice", "bob", std::move(body), 0, {}};
}

using answer_list = std::shared_ptr<std::vector<std::string>>;

/// A sender stand-in: a string is one append to bob, a vector of strings a
/// session's batch, a membership change and a drain are passed on; each
/// answer is recorded as it arrives: "ok BODY SEQ", "changed", "drained"
/// or "error CODE" (one per request that failed as a whole).
caf::behavior sender(caf::event_based_actor* self, writer_handle writer,
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

TEST_CASE_METHOD(fixture,
                 "case 26: a commit busy for less than the busy timeout goes "
                 "through on CAF's clock",
                 "[actors][writer][busy]") {
  auto writer = spawn_writer(256);
  auto answers = std::make_shared<std::vector<std::string>>();
  auto client = sys->spawn(sender, writer, answers);
  caf::scoped_actor self{*sys};
  db->busy_next = 5; // the first try and four retries find it locked
  self->send(client, std::string{"1"});
  self->send(client, std::vector<std::string>{"2", "3"});
  sched->run();
  CHECK(db->commits == 1);
  self->send(client, std::string{"4"}); // queues behind the held batch
  sched->run();
  CHECK(db->commits == 1); // its flush does not overtake the held batch
  // Tried again after waits of 1, 2, 4 and 8 ms: still busy.
  for (auto at : {1, 3, 7, 15}) {
    REQUIRE(tick());
    CHECK(elapsed() == milliseconds{at});
    CHECK(answers->empty()); // no confirmation without a commit
    CHECK(routed->empty());
  }
  CHECK(db->commits == 5);
  REQUIRE(tick()); // after 16 ms more it goes through, then "4" behind it
  CHECK(elapsed() == milliseconds{31});
  CHECK(db->commits == 7);
  CHECK(*answers
        == std::vector<std::string>{"ok 1 1", "ok 2 2", "ok 3 3", "ok 4 4"});
  REQUIRE(routed->size() == 4); // each once, in commit order
  for (std::size_t i = 0; i < routed->size(); ++i)
    CHECK((*routed)[i].body == std::to_string(i + 1));
  CHECK(db->pending("bob", {}, 10)->size() == 4);
  CHECK_FALSE(tick()); // no retry left over
}

TEST_CASE_METHOD(fixture,
                 "case 26: a commit busy past the busy timeout answers "
                 "server_busy and stores nothing",
                 "[actors][writer][busy]") {
  auto writer = spawn_writer(256, milliseconds{200});
  auto answers = std::make_shared<std::vector<std::string>>();
  auto client = sys->spawn(sender, writer, answers);
  caf::scoped_actor self{*sys};
  db->busy_next = 1000; // locked until the test says otherwise
  self->send(client, std::string{"1"});
  self->send(client, std::vector<std::string>{"2", "3"});
  sched->run();
  self->send(client, std::string{"4"}); // queues behind the held batch
  self->send(client, drain_atom_v);
  sched->run();
  while (answers->empty() && elapsed() < milliseconds{1000})
    REQUIRE(tick());
  CHECK(elapsed() == milliseconds{200}); // the deadline, on CAF's clock
  // One error per request of the held batch; "4" now waits in its own turn,
  // and the drain does not wait for that one too.
  CHECK(*answers
        == std::vector<std::string>{"error server_busy", "error server_busy",
                                    "drained"});
  CHECK(routed->empty());
  CHECK(db->pending("bob", {}, 10)->empty());
  db->busy_next = 0; // the other process lets go
  REQUIRE(tick());
  REQUIRE(answers->size() == 4);
  CHECK(answers->back() == "ok 4 1"); // nothing of the given-up batch stored
  REQUIRE(routed->size() == 1);
  CHECK(routed->front().body == "4");
}

TEST_CASE_METHOD(fixture, "a drain and a group change wait for a busy commit",
                 "[actors][writer][busy]") {
  auto writer = spawn_writer(256);
  auto answers = std::make_shared<std::vector<std::string>>();
  auto client = sys->spawn(sender, writer, answers);
  caf::scoped_actor self{*sys};
  db->busy_next = 2;
  self->send(client, std::string{"1"});
  sched->run();
  using change = persistence::membership_change;
  self->send(client, change{change::create, "alice", "team", ""});
  self->send(client, drain_atom_v);
  sched->run();
  // The change would overtake the held message: refused, nothing changed.
  CHECK(*answers == std::vector<std::string>{"error server_busy"});
  CHECK_FALSE(db->group("team"));
  REQUIRE(tick()); // busy once more: the drain still waits
  CHECK(answers->size() == 1);
  REQUIRE(tick()); // goes through
  CHECK(*answers
        == std::vector<std::string>{"error server_busy", "ok 1 1", "drained"});
  CHECK(db->commits == 3);
}
