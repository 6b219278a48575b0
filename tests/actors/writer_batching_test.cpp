// What the writer gathers into one commit besides appends: cursor moves
// ride along with the next append's commit, or go alone after
// `cursor_delay` (whose timer never splits a batch of appends waiting for
// its own commit), and registrations queued together share one transaction.

#include "tests/actors/writer_fixture.hpp"

using namespace writer_test;
using namespace kurir;

namespace {

/// Stores one message to bob and returns it.
stored_message store_one(fixture& f, writer_handle& writer) {
  caf::scoped_actor self{*f.sys};
  auto req = self->request(writer, caf::infinite, append_atom_v, to_bob("0"));
  f.sched->run();
  stored_message got;
  req.receive([&](stored_message& m) { got = m; },
              [&](caf::error& e) { FAIL(f.sys->render(e)); });
  return got;
}

/// Sends bob's acknowledgement of `m` to the writer.
void ack(fixture& f, writer_handle& writer, const stored_message& m) {
  caf::scoped_actor self{*f.sys};
  self->send(writer, advance_atom_v,
             std::vector<persistence::cursor_update>{{"bob", m.conv, m.seq}});
}

} // namespace

TEST_CASE_METHOD(fixture, "cursor moves alone commit after the cursor delay",
                 "[actors][writer]") {
  auto writer = spawn_writer(256);
  auto first = store_one(*this, writer);
  REQUIRE(db->commits == 1);
  ack(*this, writer, first);
  sched->run();
  CHECK(db->commits == 1); // no fsync of its own at once
  REQUIRE(tick());
  CHECK(elapsed() == milliseconds{20});
  CHECK(db->commits == 2);
  auto left = db->pending("bob", {}, 10);
  REQUIRE(left);
  CHECK(left->empty()); // the cursor is on disk
}

TEST_CASE_METHOD(fixture,
                 "a cursor timer does not split appends waiting for a commit",
                 "[actors][writer]") {
  auto writer = spawn_writer(256);
  auto first = store_one(*this, writer);
  ack(*this, writer, first); // starts the cursor timer
  sched->run();
  caf::scoped_actor self{*sys};
  // The writer's mailbox: an append, the cursor timer, another append.
  auto r1 = self->request(writer, caf::infinite, append_atom_v, to_bob("1"));
  REQUIRE(sched->trigger_timeout());
  auto r2 = self->request(writer, caf::infinite, append_atom_v, to_bob("2"));
  sched->run();
  std::vector<int64_t> seqs;
  auto on_ok = [&](stored_message& m) { seqs.push_back(m.seq); };
  auto on_err = [&](caf::error& e) { FAIL(sys->render(e)); };
  r1.receive(on_ok, on_err);
  r2.receive(on_ok, on_err);
  CHECK(seqs == std::vector<int64_t>{2, 3});
  CHECK(db->commits == 2); // both appends and the cursor in one commit
  auto left = db->pending("bob", {}, 10);
  REQUIRE(left);
  CHECK(left->size() == 2);
}

TEST_CASE_METHOD(fixture,
                 "an append confirmed after an ack commits the cursor with it",
                 "[actors][writer]") {
  // kurir-sim's audit and the queue limit rely on it: a send confirmed after
  // an acknowledgement was processed means that cursor is on disk (a crash
  // then redelivers nothing acknowledged), and the recipient's queue has
  // room again.
  auto writer = spawn_writer(256);
  auto first = store_one(*this, writer);
  ack(*this, writer, first); // at 0 ms
  sched->run();
  auto second = store_one(*this, writer); // commits at 0 ms, with the cursor
  CHECK(elapsed() == milliseconds{0});
  CHECK(db->commits == 2);
  auto left = db->pending("bob", {}, 10);
  REQUIRE(left);
  REQUIRE(left->size() == 1);
  CHECK(left->front().id == second.id);
}

TEST_CASE_METHOD(fixture, "registrations queued together share one commit",
                 "[actors][writer]") {
  auto writer = spawn_writer(256);
  caf::scoped_actor self{*sys};
  auto reg = [&](std::string name) {
    return self->request(writer, caf::infinite, reg_atom_v,
                         persistence::user_record{name, "h", "test", 0});
  };
  auto r1 = reg("carol");
  auto r2 = reg("bob"); // taken (the fixture's)
  auto r3 = reg("dave");
  sched->run();
  std::vector<std::string> got;
  auto on_ok = [&](caf::ok_atom) { got.push_back("ok"); };
  auto on_err = [&](caf::error& e) {
    got.push_back(std::string{to_wire(to_failure(e).code)});
  };
  r1.receive(on_ok, on_err);
  r2.receive(on_ok, on_err);
  r3.receive(on_ok, on_err);
  CHECK(got == std::vector<std::string>{"ok", "name_taken", "ok"});
  CHECK(db->user_commits == 1);
  auto carol = db->find_user("carol");
  REQUIRE(carol);
  CHECK(carol->reg_ms == 42); // the time comes from the clock handed in
  // A busy database refuses them all at once, as a single one always was.
  db->busy_next = 1;
  auto r4 = reg("erin");
  sched->run();
  got.clear();
  r4.receive(on_ok, on_err);
  CHECK(got == std::vector<std::string>{"server_busy"});
  CHECK_FALSE(db->find_user("erin"));
}
