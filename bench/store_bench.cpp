// kurir-store-bench: the writer's work without actors or sockets. Commits a
// dm workload (random sender and recipient among --users, a client id per
// message, each recipient acknowledging what the previous commit stored) to
// a fresh SQLite file in batches of --batch, and prints the thread's CPU µs
// per message, the wall µs per message and the WAL frames per message.
//
//   kurir-store-bench [--users=100] [--messages=100000] [--batch=40]
//                     [--body=32] [--synchronous=FULL] [--dir=.] [--seed=1]
//                     [--checkpoint=4000 (WAL frames before a checkpoint)]
//                     [--append=1 (add to an existing store-bench.db)]
//
// The figures say what one writer thread can do at most, and how the cost
// grows with the size of the database (it prints every tenth of the run).

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/sqlite_store.hpp"

namespace {

using namespace kurir;
using namespace kurir::persistence;

struct options {
  int users = 100;
  long messages = 100000;
  int batch = 40;
  int body = 32;
  std::string synchronous = "FULL";
  std::string dir = ".";
  unsigned seed = 1;
  int checkpoint = 4000;
  bool append = false; ///< keep an existing database and add to it
};

bool parse(int argc, char** argv, options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a{argv[i]};
    auto eq = a.find('=');
    if (a.substr(0, 2) != "--" || eq == std::string_view::npos)
      return false;
    auto key = a.substr(2, eq - 2);
    std::string val{a.substr(eq + 1)};
    if (key == "users")
      o.users = std::atoi(val.c_str());
    else if (key == "messages")
      o.messages = std::atol(val.c_str());
    else if (key == "batch")
      o.batch = std::atoi(val.c_str());
    else if (key == "body")
      o.body = std::atoi(val.c_str());
    else if (key == "synchronous")
      o.synchronous = val;
    else if (key == "dir")
      o.dir = val;
    else if (key == "append")
      o.append = val == "1" || val == "true";
    else if (key == "checkpoint")
      o.checkpoint = std::atoi(val.c_str());
    else if (key == "seed")
      o.seed = static_cast<unsigned>(std::atol(val.c_str()));
    else
      return false;
  }
  return o.users >= 2 && o.messages > 0 && o.batch > 0 && o.body >= 0;
}

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double wall_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

/// The commits of one run: appends drawn from `rng`, and the acks of what
/// the previous commit stored.
class workload {
public:
  workload(const options& o)
      : o_(o), rng_(o.seed), ids_(o.users, 0),
        prefix_("s" + std::to_string(o.seed) + "-") {}

  write_batch next(const std::vector<stored_message>& stored) {
    write_batch b;
    b.max_unacked = 0;
    for (const auto& m : stored)
      b.cursors.push_back({m.to, m.conv, m.seq});
    std::uniform_int_distribution<int> pick(0, o_.users - 1);
    for (int i = 0; i < o_.batch; ++i) {
      auto from = pick(rng_);
      auto to = pick(rng_);
      if (to == from)
        to = (to + 1) % o_.users;
      append_request r;
      r.sender = name(from);
      r.target = name(to);
      r.body.assign(static_cast<std::size_t>(o_.body), 'x');
      r.ts_ms = 1;
      r.client_id
        = prefix_ + std::to_string(++ids_[static_cast<std::size_t>(from)]);
      b.appends.push_back(std::move(r));
    }
    return b;
  }

  static std::string name(int i) { return "user" + std::to_string(i); }

private:
  const options& o_;
  std::mt19937 rng_;
  std::vector<long> ids_;
  std::string prefix_; ///< per seed: --append with a new seed adds, not resends
};

int run(const options& o) {
  auto path = std::filesystem::path{o.dir} / "store-bench.db";
  if (!o.append)
    for (const char* ext : {"", "-wal", "-shm"})
      std::filesystem::remove(path.string() + ext);
  sqlite_options so;
  so.path = path.string();
  so.synchronous = o.synchronous;
  so.checkpoint_frames = o.checkpoint;
  auto db = sqlite_store::open(so);
  if (!db) {
    std::fprintf(stderr, "cannot open %s: %s\n", so.path.c_str(),
                 db.error().detail.c_str());
    return 1;
  }
  auto& st = **db;
  for (int i = 0; i < o.users; ++i) {
    auto added = st.add_user({workload::name(i), "x", "127.0.0.1", 1});
    if (!added && !(o.append && added.error().code == errc::name_taken))
      return 1;
  }
  workload w{o};
  std::vector<stored_message> stored;
  long done_msgs = 0;
  long step = std::max<long>(o.messages / 10, o.batch);
  long next_report = step;
  auto before = st.stats();
  double cpu0 = cpu_seconds(), wall0 = wall_seconds();
  double cpu_mark = cpu0, wall_mark = wall0;
  uint64_t frames_mark = before.wal_frames;
  std::printf("messages  cpu_us/msg  wall_us/msg  wal_frames/msg  (since the "
              "last line)\n");
  while (done_msgs < o.messages) {
    auto res = st.commit(w.next(stored));
    if (!res) {
      std::fprintf(stderr, "commit failed: %s\n", res.error().detail.c_str());
      return 1;
    }
    stored.clear();
    for (auto& r : *res) {
      if (!r) {
        std::fprintf(stderr, "append failed: %s\n", r.error().detail.c_str());
        return 1;
      }
      stored.push_back(std::move(*r));
    }
    done_msgs += o.batch;
    if (done_msgs >= next_report || done_msgs >= o.messages) {
      auto s = st.stats();
      double cpu = cpu_seconds(), wall = wall_seconds();
      double n = static_cast<double>(step);
      std::printf("%8ld  %10.2f  %11.2f  %14.2f\n", done_msgs,
                  (cpu - cpu_mark) * 1e6 / n, (wall - wall_mark) * 1e6 / n,
                  static_cast<double>(s.wal_frames - frames_mark) / n);
      cpu_mark = cpu, wall_mark = wall, frames_mark = s.wal_frames;
      next_report += step;
    }
  }
  auto s = st.stats();
  double n = static_cast<double>(done_msgs);
  std::printf("all: %ld messages, %.2f cpu us/msg, %.2f wall us/msg, %.2f "
              "wal frames/msg, %llu commits, %llu checkpoints\n",
              done_msgs, (cpu_seconds() - cpu0) * 1e6 / n,
              (wall_seconds() - wall0) * 1e6 / n,
              static_cast<double>(s.wal_frames - before.wal_frames) / n,
              static_cast<unsigned long long>(s.commits - before.commits),
              static_cast<unsigned long long>(s.checkpoints));
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: kurir-store-bench [--users=N] [--messages=N] "
                 "[--batch=N] [--body=N] [--synchronous=FULL|NORMAL|OFF] "
                 "[--dir=DIR] [--seed=N] [--checkpoint=FRAMES] "
                 "[--append=1]\n");
    return 2;
  }
  return run(o);
}
