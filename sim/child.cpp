#include "sim/child.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace kurir::sim {

namespace {

/// Keeps this many bytes of the child's output.
constexpr std::size_t tail_bytes = 8192;

/// Returns the value of `key` (e.g. "VmHWM:") in /proc/PID/status, in KiB.
uint64_t status_kb(pid_t pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0)
      return std::strtoull(line.c_str() + key.size(), nullptr, 10);
  return 0;
}

[[noreturn]] void exec_child(int out, const std::vector<std::string>& args) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::setpgid(0, 0); // a Ctrl-C for kurir-sim is not one for kurird
  ::dup2(out, STDOUT_FILENO);
  ::dup2(out, STDERR_FILENO);
  int null = ::open("/dev/null", O_RDONLY);
  if (null >= 0)
    ::dup2(null, STDIN_FILENO);
  std::vector<char*> argv;
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  std::_Exit(127);
}

} // namespace

std::string own_directory() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string{"."} : exe.parent_path().string();
}

child_process::child_process(std::string binary, std::vector<std::string> extra)
    : binary_(std::move(binary)), extra_(std::move(extra)) {
  // nop
}

child_process::~child_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    reap(true);
  }
  if (!dir_.empty() && !keep_) {
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path{dir_}.parent_path(), ec);
  }
}

bool child_process::make_data_dir(std::string& err) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string{tmp ? tmp : "/tmp"} + "/kurir-sim-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    err = "cannot create " + pattern + ": " + std::strerror(errno);
    return false;
  }
  dir_ = pattern + "/data";
  return true;
}

bool child_process::spawn(uint16_t port) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return false;
  // The harness drives load on purpose: the per-connection message rate
  // is off unless the extra arguments (after --) set it.
  std::vector<std::string> args{
    binary_,           "--port=" + std::to_string(port),
    "--hash-cost=min", "--data-dir=" + dir_,
    "--max-rate=0",    "--web-port=-1"};
  if (!tls_dir_.empty()) {
    args[1] = "--port=-1";
    args.insert(args.begin() + 2, {"--tls-port=" + std::to_string(port),
                                   "--tls-cert=" + tls_dir_ + "/server.pem",
                                   "--tls-key=" + tls_dir_ + "/server.key"});
  }
  args.insert(args.end(), extra_.begin(), extra_.end());
  pid_ = ::fork();
  if (pid_ == 0)
    exec_child(fds[1], args);
  ::close(fds[1]);
  if (pid_ < 0) {
    ::close(fds[0]);
    return false;
  }
  out_fd_ = fds[0];
  ::fcntl(out_fd_, F_SETFL, ::fcntl(out_fd_, F_GETFL) | O_NONBLOCK);
  listening_ = false;
  ++usage_.starts;
  std::error_code ec;
  auto size = std::filesystem::file_size(dir_ + "/log.txt", ec);
  log_offset_ = ec ? 0 : size;
  return true;
}

bool child_process::wait_listening(int timeout_ms) {
  while (pid_ > 0 && !listening_) {
    pollfd p{out_fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0)
      break;
    if (on_output() == event::exited)
      return false;
  }
  if (!listening_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    reap(true);
  }
  return listening_;
}

child_process::event child_process::on_output() {
  char buf[4096];
  auto n = ::read(out_fd_, buf, sizeof(buf));
  if (n < 0)
    return errno == EAGAIN || errno == EINTR ? event::none : event::exited;
  if (n == 0) {
    reap(false);
    return event::exited;
  }
  tail_.append(buf, static_cast<std::size_t>(n));
  auto was = listening_;
  auto pos = tail_.rfind("listening on ");
  auto eol = pos == std::string::npos ? pos : tail_.find('\n', pos);
  if (!listening_ && eol != std::string::npos) {
    auto colon = tail_.find(':', pos); // the first port listed

    port_ = static_cast<uint16_t>(std::atoi(tail_.c_str() + colon + 1));
    listening_ = port_ != 0;
  }
  if (tail_.size() > tail_bytes)
    tail_.erase(0, tail_.size() - tail_bytes);
  return listening_ && !was ? event::listening : event::none;
}

void child_process::sample() {
  if (pid_ <= 0)
    return;
  usage_.peak_rss_kb = std::max(usage_.peak_rss_kb, status_kb(pid_, "VmHWM:"));
}

uint64_t child_process::rss_kb() const {
  return pid_ > 0 ? status_kb(pid_, "VmRSS:") : 0;
}

void child_process::read_stats() {
  std::ifstream in(dir_ + "/log.txt");
  in.seekg(static_cast<std::streamoff>(log_offset_));
  std::string line;
  std::string last;
  while (std::getline(in, line))
    if (line.find("] stats commits ") != std::string::npos)
      last = line;
  unsigned long long commits = 0, messages = 0, frames = 0;
  auto at = last.find("] stats ");
  if (at == std::string::npos
      || std::sscanf(last.c_str() + at,
                     "] stats commits %llu messages %llu wal_frames %llu",
                     &commits, &messages, &frames)
           != 3)
    return;
  usage_.store_commits += commits;
  usage_.store_messages += messages;
  usage_.wal_frames += frames;
}

int child_process::reap(bool expected) {
  if (pid_ <= 0)
    return -1;
  int status = 0;
  rusage ru{};
  ::wait4(pid_, &status, 0, &ru);
  auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  usage_.cpu_seconds += secs(ru.ru_utime) + secs(ru.ru_stime);
  usage_.peak_rss_kb
    = std::max(usage_.peak_rss_kb, static_cast<uint64_t>(ru.ru_maxrss));
  if (!expected)
    ++usage_.crashes;
  pid_ = -1;
  listening_ = false;
  read_stats();
  if (out_fd_ >= 0)
    ::close(out_fd_);
  out_fd_ = -1;
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

void child_process::kill_now() {
  if (pid_ <= 0)
    return;
  sample();
  ::kill(pid_, SIGKILL);
  reap(true);
}

int child_process::stop(int timeout_ms) {
  if (pid_ <= 0)
    return -1;
  sample();
  ::kill(pid_, SIGTERM);
  char buf[4096];
  for (;;) {
    pollfd p{out_fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) {
      ::kill(pid_, SIGKILL);
      break;
    }
    auto n = ::read(out_fd_, buf, sizeof(buf));
    if (n <= 0 && !(n < 0 && errno == EAGAIN))
      break;
    if (n > 0)
      tail_.append(buf, static_cast<std::size_t>(n));
  }
  return reap(true);
}

} // namespace kurir::sim
