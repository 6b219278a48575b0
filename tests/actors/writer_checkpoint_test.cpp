// The writer and the checkpointer (writer_checkpoint.cpp), under CAF's
// deterministic scheduler: passes run beside the writer, and the writer
// copies the tail a pass left so that the WAL starts over.

#include "actors/checkpoint/checkpoint_actor.hpp"
#include "tests/actors/writer_fixture.hpp"

using namespace writer_test;

namespace {

/// What a checkpointer stand-in was asked, and how it answers: as if the
/// pass copied all but `behind` frames (it copies nothing).
struct pass_script {
  int asked = 0;
  int64_t behind = 1;
};

checkpoint_handle::behavior_type
fake_checkpointer(std::shared_ptr<pass_script> script,
                  std::shared_ptr<counting_store> db) {
  return {
    [=](checkpoint_atom) -> caf::result<int64_t, int64_t> {
      ++script->asked;
      auto size = static_cast<int64_t>(db->stats().wal_size);
      return {size, size - script->behind};
    },
  };
}

/// The fixture with a store that leaves checkpoints to the writer.
struct ckpt_fixture : fixture {
  std::string path = dir.file("ckpt.db");

  ckpt_fixture() {
    persistence::sqlite_options opts;
    opts.path = path;
    opts.auto_checkpoint = false;
    auto st = persistence::sqlite_store::open(opts);
    REQUIRE(st);
    db = std::make_shared<counting_store>(std::move(*st));
    for (auto name : {"alice", "bob"})
      REQUIRE(db->add_user({name, "h", "test", 0}));
  }

  /// Appends `body` to bob through the writer and runs until quiet;
  /// returns the WAL's size after the commit.
  uint64_t send(writer_handle writer, const std::string& body) {
    caf::scoped_actor self{*sys};
    auto r = self->request(writer, caf::infinite, append_atom_v, to_bob(body));
    sched->run();
    r.receive([](stored_message&) {},
              [&](caf::error& e) { FAIL(sys->render(e)); });
    return db->stats().wal_size;
  }
};

} // namespace

TEST_CASE_METHOD(ckpt_fixture, "a pass beside the writer lets the WAL restart",
                 "[actors][writer][checkpoint]") {
  persistence::sqlite_options opts;
  opts.path = path;
  auto c = persistence::sqlite_checkpointer::open(opts);
  REQUIRE(c);
  writer_settings ws;
  ws.checkpointer = sys->spawn(
    checkpoint_actor,
    std::shared_ptr<persistence::sqlite_checkpointer>{std::move(*c)});
  ws.checkpoint_frames = 1;
  ws.checkpoint_tail = 0; // never the writer's own step
  auto writer = spawn_writer(256, milliseconds{5000}, ws);
  auto first = send(writer, "a");
  CHECK(first > 0);
  // The pass ran after the commit and copied it all: the next commit
  // writes the WAL from its start.
  auto second = send(writer, "b");
  CHECK(second < first + 1);
  CHECK(db->checkpoints == 0);
  CHECK(routed->size() == 2);
}

TEST_CASE_METHOD(ckpt_fixture, "the writer copies the tail a pass left behind",
                 "[actors][writer][checkpoint]") {
  auto script = std::make_shared<pass_script>();
  writer_settings ws;
  ws.checkpointer = sys->spawn(fake_checkpointer, script, db);
  ws.checkpoint_frames = 1;
  ws.checkpoint_tail = 1000;
  auto writer = spawn_writer(256, milliseconds{5000}, ws);
  auto first = send(writer, "a");
  CHECK(script->asked == 1); // the WAL reached checkpoint_frames
  CHECK(db->checkpoints == 0);
  // The pass left a tail: after the next commit the writer copies it
  // itself rather than asking for another pass.
  auto second = send(writer, "b");
  CHECK(second > first);
  CHECK(db->checkpoints == 1);
  CHECK(script->asked == 1);
  // Wholly copied: the next commit starts the WAL over (and, the WAL still
  // at least checkpoint_frames, asks for the next pass).
  auto third = send(writer, "c");
  CHECK(third < second);
  CHECK(script->asked == 2);
}

TEST_CASE_METHOD(ckpt_fixture, "below checkpoint_frames nothing is copied",
                 "[actors][writer][checkpoint]") {
  auto script = std::make_shared<pass_script>();
  writer_settings ws;
  ws.checkpointer = sys->spawn(fake_checkpointer, script, db);
  ws.checkpoint_frames = 1000000;
  auto writer = spawn_writer(256, milliseconds{5000}, ws);
  auto first = send(writer, "a");
  auto second = send(writer, "b");
  CHECK(second > first);
  CHECK(script->asked == 0);
  CHECK(db->checkpoints == 0);
}
