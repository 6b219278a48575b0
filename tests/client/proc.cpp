#include "tests/client/proc.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <catch2/catch.hpp>

namespace kurir::test {

namespace {

using clock_type = std::chrono::steady_clock;

int ms_left(clock_type::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
    deadline - clock_type::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

/// Forks and execs `argv` with stdin/stdout on the given descriptors
/// (-1: inherit). Sets `env` entries ("NAME=value") in the child first.
pid_t spawn(const std::vector<std::string>& argv, int in, int out,
            const std::vector<std::string>& env = {}) {
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (in >= 0)
      ::dup2(in, STDIN_FILENO);
    if (out >= 0)
      ::dup2(out, STDOUT_FILENO);
    for (const auto& e : env)
      ::putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::_Exit(127);
  }
  return pid;
}

} // namespace

std::string kurir_bin() {
  const char* bin = std::getenv("KURIR_BIN");
  return bin != nullptr ? bin : KURIR_CLIENT_BIN;
}

std::string run_capture(const std::vector<std::string>& argv) {
  int p[2];
  REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
  auto pid = spawn(argv, -1, p[1]);
  ::close(p[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(p[0], buf, sizeof(buf))) > 0;)
    out.append(buf, static_cast<std::size_t>(n));
  ::close(p[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return out;
}

// -- kurir_process ------------------------------------------------------------

kurir_process::kurir_process(uint16_t port, const std::string& user,
                             const std::string& password,
                             std::vector<std::string> extra) {
  int in[2];
  int out[2];
  REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
  REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
  std::vector<std::string> argv{kurir_bin(), "--plain", "--config=/dev/null",
                                "--port=" + std::to_string(port),
                                "--user=" + user};
  argv.insert(argv.end(), extra.begin(), extra.end());
  std::vector<std::string> env;
  if (!password.empty())
    env.push_back("KURIR_PASSWORD=" + password);
  pid_ = spawn(argv, in[0], out[1], env);
  ::close(in[0]);
  ::close(out[1]);
  in_ = in[1];
  out_ = out[0];
}

kurir_process::~kurir_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  close_input();
  if (out_ >= 0)
    ::close(out_);
}

void kurir_process::line(const std::string& text) {
  auto s = text + "\n";
  REQUIRE(::write(in_, s.data(), s.size()) == static_cast<ssize_t>(s.size()));
}

void kurir_process::close_input() {
  if (in_ >= 0)
    ::close(in_);
  in_ = -1;
}

bool kurir_process::read_some(int timeout_ms) {
  pollfd p{out_, POLLIN, 0};
  if (out_ < 0 || ::poll(&p, 1, timeout_ms) <= 0)
    return false;
  char buf[4096];
  auto n = ::read(out_, buf, sizeof(buf));
  if (n <= 0) {
    ::close(out_);
    out_ = -1;
    return false;
  }
  partial_.append(buf, static_cast<std::size_t>(n));
  for (auto nl = partial_.find('\n'); nl != std::string::npos;
       nl = partial_.find('\n')) {
    lines_.push_back(partial_.substr(0, nl));
    partial_.erase(0, nl + 1);
  }
  return true;
}

std::string kurir_process::wait_for(const std::string& prefix, int timeout_ms) {
  auto deadline = clock_type::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    while (next_ < lines_.size()) {
      const auto& l = lines_[next_++];
      if (l.compare(0, prefix.size(), prefix) == 0)
        return l;
    }
    if (!read_some(ms_left(deadline)))
      return {};
  }
}

int kurir_process::finish(int timeout_ms) {
  close_input();
  auto deadline = clock_type::now() + std::chrono::milliseconds(timeout_ms);
  while (out_ >= 0 && ms_left(deadline) > 0)
    read_some(ms_left(deadline));
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (ms_left(deadline) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<std::string>
kurir_process::lines_with(const std::string& prefix) const {
  std::vector<std::string> out;
  for (const auto& l : lines_)
    if (l.compare(0, prefix.size(), prefix) == 0)
      out.push_back(l);
  return out;
}

// -- tmux_session -------------------------------------------------------------

tmux_session::tmux_session(const std::string& command, int width, int height) {
  static int counter = 0;
  socket_ = "kurir-test-" + std::to_string(::getpid()) + "-"
            + std::to_string(++counter);
  run_capture(tmux({"new-session", "-d", "-x", std::to_string(width), "-y",
                    std::to_string(height), command}));
}

tmux_session::~tmux_session() {
  run_capture(tmux({"kill-server"}));
  // kill-server leaves the socket file behind.
  const char* dir = std::getenv("TMUX_TMPDIR");
  std::string path = std::string{dir != nullptr && *dir ? dir : "/tmp"}
                     + "/tmux-" + std::to_string(::getuid()) + "/" + socket_;
  ::unlink(path.c_str());
}

std::vector<std::string>
tmux_session::tmux(std::vector<std::string> args) const {
  std::vector<std::string> argv{"tmux", "-f", "/dev/null", "-L", socket_};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

void tmux_session::type(const std::string& text) {
  run_capture(tmux({"send-keys", "-l", text}));
}

void tmux_session::keys(const std::vector<std::string>& names) {
  std::vector<std::string> args{"send-keys"};
  args.insert(args.end(), names.begin(), names.end());
  run_capture(tmux(args));
}

std::string tmux_session::capture() {
  return run_capture(tmux({"capture-pane", "-p"}));
}

std::string tmux_session::cursor() {
  auto out
    = run_capture(tmux({"display-message", "-p", "#{cursor_x},#{cursor_y}"}));
  while (!out.empty() && out.back() == '\n')
    out.pop_back();
  return out;
}

bool tmux_session::wait_until(
  const std::function<bool(const std::string&)>& pred, std::string& screen,
  int timeout_ms) {
  auto deadline = clock_type::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    screen = capture();
    if (pred(screen))
      return true;
    if (ms_left(deadline) == 0)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20)); // poll step
  }
}

// -- text helpers
// ---------------------------------------------------------------

std::vector<std::string> screen_lines(const std::string& screen) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : screen) {
    if (c == '\n') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty())
    out.push_back(cur);
  while (!out.empty() && out.back().find_first_not_of(' ') == std::string::npos)
    out.pop_back();
  return out;
}

std::vector<std::string> tabs(const std::string& line) {
  std::vector<std::string> out{""};
  for (char c : line) {
    if (c == '\t')
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

} // namespace kurir::test
