#pragma once

// The session fuzzer's broker: the real session, writer, spool, registry,
// group, hasher and event log actors on a shared in-memory SQLite database,
// under CAF's deterministic test scheduler. The actor system is built once;
// each input gets fresh actors and a fresh database.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include "actors/services.hpp"
#include "net/frame.hpp"
#include "persistence/sqlite_store.hpp"
#include "tests/fuzz/fuzz_conn.hpp"

namespace kurir::fuzz {

/// How an input sets the broker up; taken from the input's first byte.
struct scenario {
  /// Per connection, what is sent before the input: 0 nothing, 1 a login,
  /// 2 `--hello--|3|ack` and a login, 3 `--hello--|2` and a login.
  std::array<int, 2> prefix{};
  bool seed_group = false;   ///< group `crew` (alice, bob, carol), no owner
  bool tight = false;        ///< tiny window, pages and buffers
  bool small_queue = false;  ///< at most 3 unacknowledged per recipient
  bool batch_of_one = false; ///< the writer commits every append alone

  /// Decodes the bits of `b`.
  static scenario from_byte(uint8_t b);
};

/// One connection: the stand-in broker, its session and the input side.
struct client {
  conn_record rec;
  std::unique_ptr<frame_checker> checker;
  caf::actor conn;
  caf::actor session;
  net::decoder_state decoder;
  uint64_t bytes_read = 0;
  bool reading = true;      ///< false once the broker reads nothing more
  bool peer_closed = false; ///< the client closed the connection
  bool shut_down = false;   ///< the broker is shutting down
  std::set<int64_t> acked;  ///< ids the client acknowledged
};

/// The broker under test, reused across inputs.
class world {
public:
  /// Number of connections per input.
  static constexpr std::size_t clients = 2;

  /// The users registered before each input, with password `password1`.
  static constexpr const char* users[] = {"alice", "bob", "carol"};

  /// Builds the actor system and the password hashes.
  world();
  ~world();

  /// Starts an input: a fresh database, fresh actors, the prefix frames.
  void begin(const scenario& sc);

  /// Bytes from client `c`, as the socket broker would decode them.
  void feed(std::size_t c, std::string_view bytes);

  /// Runs every actor until nothing is left to do (no time passes).
  void run();

  /// Runs at most `n` scheduler steps (one message each).
  void step(std::size_t n);

  /// Runs until nothing is left to do, always the newest job first.
  void run_lifo();

  /// Lets `d` pass on CAF's clock, firing due timers, then runs.
  void advance(std::chrono::milliseconds d);

  /// Reports one (or every) delivery to client `c` as written.
  void written(std::size_t c, bool all);

  /// Client `c` closes its connection.
  void close_peer(std::size_t c);

  /// The broker shuts connection `c` down (as at SIGTERM).
  void shutdown(std::size_t c);

  /// Ends an input: runs, checks that every session answered everything,
  /// stops every actor and drops the database.
  void end();

private:
  void open_store();
  void reset_store();
  void spawn_services(const scenario& sc);
  void spawn_client(std::size_t c);
  void on_chunk(client& cl, std::string_view chunk);
  void note_acks(client& cl, const net::command& cmd);
  bool delivered(const std::string& member, int64_t id) const;
  void check_idle(const client& cl);
  void check_cursors();
  void stop_all();

  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::scheduler::test_coordinator* sched_ = nullptr;
  std::string password_hash_;
  std::string dummy_hash_;
  std::shared_ptr<persistence::event_log> log_file_;

  // The database stays open: opening it and preparing every statement
  // costs more than most inputs. `begin` empties it.
  std::shared_ptr<persistence::sqlite_store> read_write_;
  std::shared_ptr<persistence::store> read_only_;
  std::unique_ptr<db_probe> probe_;
  std::shared_ptr<recording_store> store_; ///< per input
  /// (user, message id) written to a client that does not acknowledge.
  std::set<std::pair<std::string, int64_t>> written_;
  services svc_;
  std::array<client, clients> clients_;
};

} // namespace kurir::fuzz
