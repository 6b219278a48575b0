#include "tests/support/harness.hpp"

#include <utility>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <memory>
#include <set>

#include "tests/support/test_certs.hpp"

namespace kurir::test {

namespace {

/// The CA and server certificate of over_tls(), made once per process,
/// and the TLS ports of the brokers started with them.
struct tls_world {
  temp_dir dir;
  test_ca ca{dir.path()};
  cert_files cert = ca.issue("server");
  std::shared_ptr<const net::tls_context> trust;
  std::set<uint16_t> ports;

  tls_world() {
    auto ctx = net::tls_context::make_client({ca.files().cert, true, ""});
    if (!ctx)
      throw std::runtime_error("test CA: " + ctx.error().detail);
    trust = *ctx;
  }

  static tls_world& get() {
    static tls_world w;
    return w;
  }
};

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

/// Reads from `fd` into `out` until `pred(out)` or EOF or timeout.
template<class Pred>
bool read_until(int fd, std::string& out, int timeout_ms, Pred pred) {
  char buf[4096];
  while (!pred(out)) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0)
      return false;
    auto n = ::read(fd, buf, sizeof(buf));
    if (n <= 0)
      return false;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

} // namespace

bool over_tls() {
  static const bool on = [] {
    const char* v = std::getenv("KURIR_TEST_OVER_TLS");
    return v != nullptr && std::string{v} == "1";
  }();
  return on;
}

// -- broker_process -----------------------------------------------------------

broker_process::broker_process(std::string data_dir,
                               std::vector<std::string> extra,
                               bool merge_stderr) {
  const char* bin = std::getenv("KURIRD_BIN");
  if (bin == nullptr)
    bin = KURIRD_DEFAULT_BIN;
  std::vector<std::string> args{bin, "--port=0", "--hash-cost=min",
                                "--data-dir=" + data_dir};
  // Tests send in bursts; the message rate is off unless a test sets it.
  auto sets_rate = std::any_of(extra.begin(), extra.end(), [](auto& a) {
    return a.rfind("--max-rate", 0) == 0;
  });
  if (!sets_rate)
    args.emplace_back("--max-rate=0");
  // Every broker of the suite has a web port of its own (not 7780).
  auto sets_web = std::any_of(extra.begin(), extra.end(), [](auto& a) {
    return a.rfind("--web-port", 0) == 0;
  });
  if (!sets_web)
    args.emplace_back("--web-port=0");
  args.insert(args.end(), extra.begin(), extra.end());
  auto own_tls = std::any_of(extra.begin(), extra.end(),
                             [](auto& a) { return a.rfind("--tls-", 0) == 0; });
  auto tls_mode = over_tls() && !own_tls;
  if (tls_mode) {
    auto& w = tls_world::get();
    args.emplace_back("--tls-port=0");
    args.emplace_back("--tls-cert=" + w.cert.cert);
    args.emplace_back("--tls-key=" + w.cert.key);
  }
  int pipefd[2];
  if (::pipe(pipefd) != 0)
    fail("pipe");
  pid_ = ::fork();
  if (pid_ < 0)
    fail("fork");
  if (pid_ == 0) {
    ::dup2(pipefd[1], STDOUT_FILENO);
    if (merge_stderr)
      ::dup2(pipefd[1], STDERR_FILENO);
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
  ::close(pipefd[1]);
  out_fd_ = pipefd[0];
  auto has_line
    = [](const std::string& s) { return s.find('\n') != std::string::npos; };
  REQUIRE(read_until(out_fd_, output_, 30000, has_line));
  auto pos = output_.find("listening on 127.0.0.1:");
  REQUIRE(pos != std::string::npos);
  port_ = static_cast<uint16_t>(std::atoi(output_.c_str() + pos + 23));
  REQUIRE(port_ != 0);
  if (auto t = output_.find("TLS on 127.0.0.1:"); t != std::string::npos)
    tls_port_ = static_cast<uint16_t>(std::atoi(output_.c_str() + t + 17));
  else if (output_.find("(TLS)") != std::string::npos)
    std::swap(port_, tls_port_); // the plain port is off
  for (auto scheme : {"web on http://127.0.0.1:", "web on https://127.0.0.1:"})
    if (auto w = output_.find(scheme); w != std::string::npos)
      web_port_ = static_cast<uint16_t>(std::atoi(
        output_.c_str() + w + std::char_traits<char>::length(scheme)));
  plain_port_ = port_;
  if (tls_mode) {
    REQUIRE(tls_port_ != 0);
    tls_world::get().ports.insert(tls_port_);
    if (web_port_ != 0)
      tls_world::get().ports.insert(web_port_); // HTTPS and wss://
    port_ = tls_port_;
  }
  if (auto m = output_.find("metrics on 127.0.0.1:"); m != std::string::npos)
    metrics_port_ = static_cast<uint16_t>(std::atoi(output_.c_str() + m + 21));
  seen_ = output_.size();
}

bool broker_process::wait_output(const std::string& needle, int timeout_ms) {
  auto found = [&](const std::string& s) {
    return s.find(needle, seen_) != std::string::npos;
  };
  if (!read_until(out_fd_, output_, timeout_ms, found))
    return false;
  seen_ = output_.find(needle, seen_) + needle.size();
  return true;
}

broker_process::~broker_process() {
  if (pid_ > 0)
    stop(SIGKILL);
}

int broker_process::stop(int sig) {
  if (pid_ <= 0)
    return -1;
  ::kill(pid_, sig);
  read_until(out_fd_, output_, 30000, [](const std::string&) { return false; });
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  ::close(out_fd_);
  out_fd_ = -1;
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

// -- client -------------------------------------------------------------------

client::client(uint16_t port, int rcvbuf) {
  connect_to(port, rcvbuf);
  if (over_tls() && tls_world::get().ports.count(port) > 0) {
    tls_
      = std::make_unique<net::tls_stream>(tls_world::get().trust, "127.0.0.1");
    send_wire(tls_->take_output()); // the ClientHello
    // As a real client does: the handshake first, so that a test's
    // timing (say, a login deadline) starts with a usable connection.
    while (!tls_->established() && fill(10000)) {
    }
  }
}

client::client(uint16_t port, std::shared_ptr<const net::tls_context> tls,
               std::string host) {
  connect_to(port, 0);
  tls_ = std::make_unique<net::tls_stream>(std::move(tls), std::move(host));
  send_wire(tls_->take_output()); // the ClientHello
}

void client::connect_to(uint16_t port, int rcvbuf) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0)
    fail("socket");
  if (rcvbuf > 0
      && ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) != 0)
    fail("setsockopt");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    fail("connect");
}

client::~client() {
  if (fd_ >= 0)
    ::close(fd_);
}

void client::send(const std::string& bytes) {
  if (!tls_)
    return send_wire(bytes);
  tls_->write(bytes); // held until the handshake is done
  send_wire(tls_->take_output());
}

void client::send_wire(const std::string& bytes, bool must) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    auto n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0 && !must)
      return; // a TLS alert to a peer that is gone
    if (n <= 0)
      fail("send");
    off += static_cast<std::size_t>(n);
  }
}

bool client::fill(int timeout_ms) {
  if (eof_)
    return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0)
    return false;
  char buf[65536];
  auto n = ::recv(fd_, buf, sizeof(buf), 0);
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  std::string_view got{buf, static_cast<std::size_t>(n)};
  std::string plain;
  if (tls_) {
    auto ok = tls_->feed(got, plain);
    send_wire(tls_->take_output(), false);
    if (!ok) {
      eof_ = true;
      return false;
    }
    got = plain;
  }
  if (raw_) {
    raw_in_.append(got);
    return true;
  }
  auto res = net::decode(decoder_, got, 1 << 20);
  for (auto& f : res.frames)
    frames_.push_back(std::move(f));
  return true;
}

std::string client::read_raw(int timeout_ms) {
  while (raw_in_.empty())
    if (!fill(timeout_ms))
      return {};
  return std::exchange(raw_in_, std::string{});
}

std::string client::next(int timeout_ms) {
  while (head_ == frames_.size())
    if (!fill(timeout_ms))
      return {};
  return std::move(frames_[head_++]);
}

std::vector<std::string> client::barrier() {
  auto token = "b" + std::to_string(++next_token_);
  send("--ping--|" + token + ";");
  std::vector<std::string> out;
  for (;;) {
    auto f = next();
    if (f.empty()) {
      FAIL("no pong " << token << " (connection closed or timed out)");
    }
    if (f == "--pong--|" + token)
      return out;
    out.push_back(std::move(f));
  }
}

std::vector<std::string> client::call(const std::string& frame) {
  send(frame + ";");
  return barrier();
}

void client::hello_ack(int version) {
  auto v = std::to_string(version);
  REQUIRE(call("--hello--|" + v + "|ack")
          == std::vector<std::string>{"--ok--|hello|" + v + "|ack"});
}

void client::register_and_login(const std::string& name,
                                const std::string& pw) {
  auto r = call("--register--|" + name + "|" + pw);
  REQUIRE(r.size() == 1);
  REQUIRE(r[0] == "--ok--|register|" + name);
  auto l = call("--login--|" + name + "|" + pw);
  REQUIRE(!l.empty());
  REQUIRE(l[0] == "--ok--|login|" + name);
}

bool client::closed_by_peer(int timeout_ms) {
  while (fill(timeout_ms)) {
    // discard frames until EOF
  }
  return eof_;
}

std::vector<std::string> fields(const std::string& raw) {
  return net::split_fields(raw, 64);
}

std::vector<std::string> tagged(const std::vector<std::string>& frames,
                                const std::string& tag, std::size_t field) {
  std::vector<std::string> out;
  for (const auto& f : frames) {
    auto x = fields(f);
    if (x[0] == tag && field < x.size())
      out.push_back(x[field]);
  }
  return out;
}

std::string code_of(const std::string& frame) {
  auto f = fields(frame);
  return f.size() >= 2 && f[0] == "--error--" ? f[1] : "(not an error)";
}

} // namespace kurir::test
