// The writer under CAF's deterministic scheduler: group commit, answers in
// order, routing after commit, no confirmation for a failed commit, and a
// busy database waited for on CAF's virtual clock.

#include "tests/actors/writer_fixture.hpp"

using namespace writer_test;
using namespace kurir;
using persistence::stored_message;
using std::chrono::milliseconds;

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
