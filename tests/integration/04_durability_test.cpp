// Restart and SIGKILL: what was confirmed survives (the seed's promise of
// waiting messages, made durable).

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/harness.hpp"

using namespace kurir::test;

TEST_CASE("SIGTERM shuts down cleanly and everything is there after restart",
          "[integration]") {
  temp_dir dir;
  {
    broker_process kurird{dir.path()};
    client bob{kurird.port()};
    bob.call("--register--|bob|bob-pass1");
    client alice{kurird.port()};
    alice.register_and_login("alice", "alice-pw");
    alice.call("bob|kept across a restart");
    CHECK(kurird.stop(SIGTERM) == 0);
    CHECK(kurird.output().find("stopped") != std::string::npos);
  }
  broker_process kurird{dir.path()};
  client bob{kurird.port()};
  auto frames = bob.call("--login--|bob|bob-pass1");
  REQUIRE(frames.size() == 2);
  CHECK(fields(frames[1])[6] == "kept across a restart");
}

TEST_CASE("SIGINT shuts down cleanly too", "[integration]") {
  temp_dir dir;
  broker_process kurird{dir.path()};
  client c{kurird.port()};
  c.call("--register--|alice|alice-pw");
  CHECK(kurird.stop(SIGINT) == 0);
  CHECK(c.closed_by_peer());
}

TEST_CASE("SIGKILL after confirmation loses nothing", "[integration]") {
  temp_dir dir;
  constexpr int n = 200;
  std::vector<std::string> confirmed;
  {
    broker_process kurird{dir.path()};
    client bob{kurird.port()};
    bob.call("--register--|bob|bob-pass1");
    client alice{kurird.port()};
    alice.register_and_login("alice", "alice-pw");
    for (int i = 0; i < n; ++i)
      alice.send("bob|numbered " + std::to_string(i) + ";");
    // Take confirmations as they come; kill while later ones may be in
    // flight, so only what was confirmed is promised.
    for (int i = 0; i < n / 2; ++i) {
      auto f = alice.next();
      REQUIRE(fields(f)[1] == "send");
      confirmed.push_back(f);
    }
    CHECK(kurird.stop(SIGKILL) == 128 + SIGKILL);
  }
  broker_process kurird{dir.path()};
  client bob{kurird.port()};
  auto frames = bob.call("--login--|bob|bob-pass1");
  REQUIRE(frames.size() >= confirmed.size() + 1);
  for (std::size_t i = 0; i < confirmed.size(); ++i) {
    auto ok = fields(confirmed[i]);
    auto msg = fields(frames[i + 1]);
    CHECK(msg[1] == ok[2]); // same id
    CHECK(msg[2] == ok[3]); // same sequence
    CHECK(msg[6] == "numbered " + std::to_string(i));
  }
  // Whatever else survived is in order and unique.
  for (std::size_t i = 1; i < frames.size(); ++i)
    CHECK(fields(frames[i])[6] == "numbered " + std::to_string(i - 1));
}

TEST_CASE("log.txt has one record per line in the seed's format",
          "[integration]") {
  temp_dir dir;
  {
    broker_process kurird{dir.path()};
    client c{kurird.port()};
    c.register_and_login("alice", "alice-pw");
    c.call("alice\n[2020-01-01 00:00:00] forged|x");
    kurird.stop(SIGTERM);
  }
  auto log = dir.read("log.txt");
  std::regex record{R"(\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] [^\n]*)"};
  std::size_t lines = 0;
  std::size_t start = 0;
  while (start < log.size()) {
    auto end = log.find('\n', start);
    REQUIRE(end != std::string::npos);
    auto line = log.substr(start, end - start);
    CHECK(std::regex_match(line, record));
    CHECK(line.find("[2020-01-01") == std::string::npos);
    start = end + 1;
    ++lines;
  }
  CHECK(lines >= 4); // connect, register, login, error, disconnect
  CHECK(log.find("alice-pw") == std::string::npos);
}

TEST_CASE("case 29: SIGTERM under load answers every send it took and stores "
          "exactly "
          "those",
          "[integration]") {
  temp_dir dir;
  constexpr int n = 300;
  std::size_t confirmed = 0;
  {
    broker_process kurird{dir.path()};
    client bob{kurird.port()};
    bob.call("--register--|bob|bob-pass1");
    client alice{kurird.port()};
    alice.register_and_login("alice", "alice-pw");
    std::string burst;
    for (int i = 0; i < n; ++i)
      burst += "bob|load " + std::to_string(i) + ";";
    alice.send(burst);
    CHECK(fields(alice.next())[1] == "send"); // the broker is busy with it
    confirmed = 1;
    ::kill(kurird.pid(), SIGTERM);
    for (auto f = alice.next(); !f.empty(); f = alice.next()) {
      REQUIRE(fields(f)[1] == "send");
      CHECK(fields(f)[3] == std::to_string(confirmed + 1)); // in order
      ++confirmed;
    }
    CHECK(kurird.stop(SIGTERM) == 0);
  }
  broker_process kurird{dir.path()};
  client bob{kurird.port()};
  auto frames = bob.call("--login--|bob|bob-pass1");
  REQUIRE(frames.size() == confirmed + 1); // stored == confirmed, no more
  CHECK(fields(frames.back())[6] == "load " + std::to_string(confirmed - 1));
}

TEST_CASE("case 27: a corrupt database refuses to start with a clear message",
          "[integration]") {
  temp_dir dir;
  std::string garbage(8192, '\x5a');
  dir.write("kurir.db", "this is not a database" + garbage);
  auto cmd = std::string{KURIRD_DEFAULT_BIN} + " --hash-cost=min --port=0"
             + " --data-dir=" + dir.path() + " > " + dir.file("out.txt")
             + " 2>&1";
  auto status = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  auto out = dir.read("out.txt");
  CHECK(out.find("kurir.db") != std::string::npos);
  CHECK(out.find("not a kurir database or is corrupt") != std::string::npos);
}

namespace {

/// The sqlite3 shell as another process holding the write lock until
/// released; the constructor returns once the lock is taken.
class lock_holder {
public:
  explicit lock_holder(const std::string& db) {
    int in[2];
    int out[2];
    REQUIRE(::pipe(in) == 0);
    REQUIRE(::pipe(out) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(in[0], STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      ::close(in[1]);
      ::close(out[0]);
      ::execlp("sqlite3", "sqlite3", db.c_str(), nullptr);
      std::_Exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    to_ = in[1];
    from_ = out[0];
    say("BEGIN IMMEDIATE;\nSELECT 'locked';\n");
    std::string got;
    char buf[64];
    while (got.find("locked") == std::string::npos) {
      auto n = ::read(from_, buf, sizeof(buf));
      REQUIRE(n > 0);
      got.append(buf, static_cast<std::size_t>(n));
    }
  }
  ~lock_holder() { release(); }
  void release() {
    if (pid_ <= 0)
      return;
    say("ROLLBACK;\n.quit\n");
    ::close(to_);
    ::close(from_);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

private:
  void say(const std::string& text) {
    REQUIRE(::write(to_, text.data(), text.size())
            == static_cast<ssize_t>(text.size()));
  }
  pid_t pid_ = -1;
  int to_ = -1;
  int from_ = -1;
};

} // namespace

namespace {

/// alice_and_offline_bob on a broker that waits `busy_timeout` seconds for
/// a locked database.
struct offline_bob_busy_timeout {
  explicit offline_bob_busy_timeout(const std::string& busy_timeout)
      : kurird{dir.path(), {"--busy-timeout=" + busy_timeout}} {
    bob.call("--register--|bob|bob-pass1");
    alice.register_and_login("alice", "alice-pw");
  }
  temp_dir dir;
  broker_process kurird;
  client bob{kurird.port()};
  client alice{kurird.port()};
};

} // namespace

// The writer's waiting itself (back-off, deadline, order, nothing routed
// twice) is tested on CAF's virtual clock in tests/actors/writer_test.cpp;
// these run it against a real lock, with a short --busy-timeout.
TEST_CASE("case 26: a database locked by another process gives server_busy",
          "[integration]") {
  offline_bob_busy_timeout w{"0.2"};
  CHECK(fields(w.alice.call("bob|before the lock")[0])[1] == "send");
  // Another process takes the write lock and keeps it while we send.
  lock_holder holder{w.dir.file("kurir.db")};
  auto busy = w.alice.call("bob|during the lock"); // waits 0.2 s, then fails
  REQUIRE(busy.size() == 1);
  CHECK(code_of(busy[0]) == "server_busy");
  holder.release();
  CHECK(fields(w.alice.call("bob|after the lock")[0])[1] == "send");
  auto frames = w.bob.call("--login--|bob|bob-pass1");
  REQUIRE(frames.size() == 3); // nothing of the refused send was stored
  CHECK(fields(frames[1])[6] == "before the lock");
  CHECK(fields(frames[2])[6] == "after the lock");
  REQUIRE(w.kurird.stop(SIGTERM) == 0); // log.txt is complete
  auto log = w.dir.read("log.txt");
  CHECK_THAT(log, Catch::Contains("busy database: the commit of 1 messages "
                                  "waits for it"));
  CHECK_THAT(log, Catch::Contains("commit failed for 1 messages: server_busy "
                                  "the database stayed locked for"));
}

TEST_CASE("case 26: a lock released within the busy timeout lets the send "
          "through",
          "[integration]") {
  offline_bob_busy_timeout w{"60"};
  lock_holder holder{w.dir.file("kurir.db")};
  w.alice.send("bob|sent during the lock;");
  holder.release(); // whether the writer tried before or after: it succeeds
  auto sent = w.alice.next();
  CHECK(fields(sent)[0] == "--ok--");
  CHECK(fields(sent)[1] == "send");
  auto frames = w.bob.call("--login--|bob|bob-pass1");
  REQUIRE(frames.size() == 2);
  CHECK(fields(frames[1])[6] == "sent during the lock");
}
