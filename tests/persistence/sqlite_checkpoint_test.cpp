// Checkpoints beside the writer: a store opened without its own
// checkpoints lets the WAL grow, a sqlite_checkpointer copies it while the
// store goes on committing, and the store's own last step lets the WAL
// start over.

#include <sqlite3.h>

#include "store_fixture.hpp"

using namespace kurir;
using namespace kurir::persistence;
using kurir::test::temp_dir;

namespace {

struct checkpoint_fixture {
  temp_dir dir;
  std::string path = dir.file("kurir.db");
  std::unique_ptr<sqlite_store> db;
  std::unique_ptr<sqlite_checkpointer> ckpt;
  int sent = 0;

  checkpoint_fixture() {
    sqlite_options opts;
    opts.path = path;
    opts.checkpoint_frames = 1;   // would checkpoint at every commit ...
    opts.auto_checkpoint = false; // ... but leaves it to the checkpointer
    auto st = sqlite_store::open(opts);
    REQUIRE(st);
    db = std::move(*st);
    for (auto name : {"alice", "bob"})
      REQUIRE(db->add_user({name, "h", "test", 0}));
    auto c = sqlite_checkpointer::open(opts);
    INFO((c ? std::string{} : c.error().detail));
    REQUIRE(c);
    ckpt = std::move(*c);
  }

  /// Commits a batch of 20 messages; returns the WAL's size after it.
  uint64_t commit() {
    write_batch batch;
    for (int i = 0; i < 20; ++i)
      batch.appends.push_back({"alice", "bob", "m" + std::to_string(++sent), 1,
                               "c" + std::to_string(sent)});
    auto res = db->commit(batch);
    REQUIRE(res);
    return db->stats().wal_size;
  }
};

} // namespace

TEST_CASE_METHOD(checkpoint_fixture,
                 "without its own checkpoints the store lets the WAL grow",
                 "[persistence][sqlite][checkpoint]") {
  auto first = commit();
  auto second = commit();
  auto third = commit();
  CHECK(first > 0);
  CHECK(second > first);
  CHECK(third > second);
  CHECK(db->stats().checkpoints == 0);
}

TEST_CASE_METHOD(checkpoint_fixture,
                 "a pass copies the WAL; the next commit starts it over",
                 "[persistence][sqlite][checkpoint]") {
  commit();
  auto size = commit();
  auto pass = ckpt->run();
  REQUIRE(pass);
  CHECK(pass->wal_size == static_cast<int64_t>(size));
  CHECK(pass->copied == pass->wal_size);
  // Wholly copied: the next write transaction writes from the WAL's start.
  auto after = commit();
  CHECK(after < size);
  // The messages are all there, in the database file and the WAL.
  auto page = db->pending("bob", {}, 1000);
  REQUIRE(page);
  CHECK(page->size() == 60);
}

TEST_CASE_METHOD(checkpoint_fixture,
                 "the store copies the tail a pass left, and the WAL restarts",
                 "[persistence][sqlite][checkpoint]") {
  commit();
  // A reader that began now keeps the pass from copying what follows.
  sqlite3* reader = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &reader) == SQLITE_OK);
  REQUIRE(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM messages;", nullptr,
                       nullptr, nullptr)
          == SQLITE_OK);
  auto size = commit();
  auto pass = ckpt->run();
  REQUIRE(pass);
  CHECK(pass->wal_size == static_cast<int64_t>(size));
  CHECK(pass->copied < pass->wal_size);
  REQUIRE(sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr)
          == SQLITE_OK);
  sqlite3_close(reader);
  // Not wholly copied: the WAL goes on.
  auto grown = commit();
  CHECK(grown > size);
  // The writer's own step copies the tail; then the WAL starts over.
  REQUIRE(db->checkpoint());
  CHECK(db->stats().checkpoints == 1);
  CHECK(commit() < grown);
  CHECK(*db->integrity_check() == "ok");
}

TEST_CASE("a checkpointer needs an existing database",
          "[persistence][sqlite][checkpoint]") {
  temp_dir dir;
  sqlite_options opts;
  opts.path = dir.file("missing.db");
  auto c = sqlite_checkpointer::open(opts);
  REQUIRE_FALSE(c);
  CHECK(c.error().code == errc::storage_error);
  CHECK_THAT(c.error().detail, Catch::Contains("missing.db"));
}
