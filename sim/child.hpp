#pragma once

// The kurird child process kurir-sim starts when no --port is given: a fresh
// temporary data directory, a free loopback port, --hash-cost=min. Killed
// and restarted on the same port and data directory for --kill-every.

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace kurir::sim {

/// What the child broker used, accumulated over its restarts.
struct child_usage {
  uint64_t peak_rss_kb = 0; ///< the largest VmHWM (and ru_maxrss) of any run
  double cpu_seconds = 0;   ///< user + system time, summed over the runs
  int starts = 0;           ///< runs started, the first one included
  int crashes = 0;          ///< runs that ended without being told to
  /// From the last `stats` record each run wrote to log.txt (at its last
  /// drain), summed over the runs; a run killed before any drain adds 0.
  uint64_t store_commits = 0;
  uint64_t store_messages = 0; ///< new messages committed
  uint64_t wal_frames = 0;     ///< database pages written to the WAL
};

/// A kurird child. Not copyable; kills the child and removes its data
/// directory on destruction.
class child_process {
public:
  /// Prepares to run `binary` with `extra` arguments after kurir-sim's own.
  child_process(std::string binary, std::vector<std::string> extra);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Creates a temporary directory and names `DIR/data` in it as the data
  /// directory (kurird creates it); false (and `err`) on failure.
  bool make_data_dir(std::string& err);
  /// Makes every start listen on TLS only, with the certificate and key
  /// of a scripts/dev-cert directory.
  void use_tls(std::string dir) { tls_dir_ = std::move(dir); }
  /// Starts kurird on `port` (0: any free port); false if fork failed.
  bool spawn(uint16_t port);
  /// Blocks up to `timeout_ms` for the "listening" line; false if it did
  /// not come (then the child is killed).
  bool wait_listening(int timeout_ms);

  /// What `on_output` saw.
  enum class event { none, listening, exited };
  /// Reads what the child wrote (call when `output_fd` is readable).
  event on_output();

  /// Samples /proc, then SIGKILLs the child and reaps it.
  void kill_now();
  /// Samples /proc, sends SIGTERM, waits up to `timeout_ms` for the exit
  /// (then SIGKILL); returns the exit status, or 128+signal.
  int stop(int timeout_ms);
  /// Returns the child's current VmRSS in KiB (0 if not running).
  uint64_t rss_kb() const;

  /// Returns the pipe carrying the child's stdout and stderr, or -1.
  int output_fd() const { return out_fd_; }
  /// Returns whether the child runs and listens.
  bool up() const { return pid_ > 0 && listening_; }
  /// Returns whether a child process runs.
  bool running() const { return pid_ > 0; }
  /// Returns the port it listens (or last listened) on.
  uint16_t port() const { return port_; }
  /// Returns the data directory.
  const std::string& data_dir() const { return dir_; }
  /// Returns the resource use so far.
  const child_usage& usage() const { return usage_; }
  /// Keeps the data directory at destruction.
  void keep_data() { keep_ = true; }
  /// Returns the last bytes the child wrote.
  const std::string& tail() const { return tail_; }

private:
  /// Reads VmHWM into the usage.
  void sample();
  /// Adds the last `stats` record that this run wrote to log.txt.
  void read_stats();
  /// Waits for the exit, adds the usage, closes the pipe; returns the
  /// status (128+signal if killed). `expected`: not a crash.
  int reap(bool expected);

  std::string binary_;             ///< kurird
  std::vector<std::string> extra_; ///< arguments after kurir-sim's own
  std::string dir_;                ///< the data directory
  std::string tls_dir_;            ///< certificate directory, or empty
  pid_t pid_ = -1;                 ///< the running child, or -1
  int out_fd_ = -1;                ///< its stdout and stderr
  uint16_t port_ = 0;              ///< where it listens (or listened)
  bool listening_ = false;         ///< it printed "listening"
  bool keep_ = false;              ///< keep the data directory
  std::string tail_;               ///< the last output
  uint64_t log_offset_ = 0;        ///< log.txt's size when this run started
  child_usage usage_;              ///< resource use so far
};

/// Returns the directory of the running executable (from /proc/self/exe).
std::string own_directory();

} // namespace kurir::sim
