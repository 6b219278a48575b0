#include "client/terminal/app.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <vector>

#include "client/terminal/connection.hpp"

namespace kurir::client {

namespace {

int signal_write_fd = -1;
int signal_read_fd = -1;

extern "C" void on_signal_cb(int sig) {
  int saved = errno;
  auto byte = static_cast<unsigned char>(sig);
  [[maybe_unused]] auto n = ::write(signal_write_fd, &byte, 1);
  errno = saved;
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch())
    .count();
}

/// The loop's state: one connection, retried on the session's schedule.
class loop {
public:
  loop(session& s, frontend& f, std::string host, uint16_t port,
       std::shared_ptr<const net::tls_context> tls)
      : s_(s), f_(f), host_(std::move(host)), port_(port),
        tls_(std::move(tls)) {
    // nop
  }

  int run();

private:
  void connect();
  void lost(const std::string& reason);
  void pump();
  void poll_once();
  void on_socket(short revents);
  void on_signals();

  session& s_;
  frontend& f_;
  std::string host_;
  uint16_t port_;
  std::shared_ptr<const net::tls_context> tls_; ///< null: plain TCP
  connection conn_;
  int64_t retry_at_ = 0;
};

int loop::run() {
  while (!s_.done()) {
    if (conn_.fd() < 0 && now_ms() >= retry_at_)
      connect();
    pump();
    if (!s_.done())
      poll_once();
  }
  pump();
  return s_.exit_status();
}

void loop::connect() {
  auto err = conn_.start(host_, port_, tls_);
  if (!err.empty())
    lost("cannot connect to " + host_ + ":" + std::to_string(port_) + ": "
         + err);
  else if (conn_.open())
    s_.on_connected(host_, port_);
}

void loop::lost(const std::string& reason) {
  conn_.close();
  auto delay = s_.on_disconnected(reason);
  retry_at_ = now_ms() + (delay < 0 ? 0 : delay);
}

void loop::pump() {
  for (auto events = s_.take_events(); !events.empty();
       events = s_.take_events()) {
    for (const auto& e : events) {
      f_.show(e, s_);
      if (e.kind == event_kind::message)
        s_.shown(e.msg.id);
    }
  }
  auto out = s_.take_output();
  if (!conn_.open())
    return;
  if (s_.wants_reconnect())
    return lost("the broker asked to try again later");
  conn_.write(out);
  std::string reason;
  if (!conn_.flush(reason))
    lost(reason);
}

void loop::poll_once() {
  std::vector<pollfd> fds{{signal_read_fd, POLLIN, 0}};
  if (conn_.fd() >= 0) {
    short ev = conn_.connecting() ? POLLOUT : POLLIN;
    if (conn_.wants_write())
      ev |= POLLOUT;
    fds.push_back({conn_.fd(), ev, 0});
  }
  int in = f_.input_fd();
  if (in >= 0)
    fds.push_back({in, POLLIN, 0});
  int timeout = -1;
  if (conn_.fd() < 0)
    timeout = static_cast<int>(std::max<int64_t>(0, retry_at_ - now_ms()));
  if (::poll(fds.data(), fds.size(), timeout) <= 0)
    return;
  if (fds[0].revents != 0)
    on_signals();
  for (std::size_t i = 1; i < fds.size(); ++i) {
    if (fds[i].revents == 0)
      continue;
    if (fds[i].fd == in)
      f_.on_input(s_);
    else if (fds[i].fd == conn_.fd())
      on_socket(fds[i].revents);
    pump();
  }
}

void loop::on_socket(short revents) {
  std::string reason;
  if (conn_.connecting()) {
    reason = conn_.finish_connect();
    if (reason.empty())
      s_.on_connected(host_, port_);
    else
      lost("cannot connect to " + host_ + ":" + std::to_string(port_) + ": "
           + reason);
    return;
  }
  if ((revents & POLLOUT) != 0 && !conn_.flush(reason))
    return lost(reason);
  if ((revents & (POLLIN | POLLHUP | POLLERR)) == 0)
    return;
  std::vector<std::string> frames;
  bool alive = conn_.read(frames, reason);
  for (const auto& fr : frames)
    s_.on_frame(fr);
  if (alive)
    return;
  if (conn_.tls_refused()) {
    // Trying again cannot help: the certificate stays unverifiable.
    conn_.close();
    return s_.on_refused("TLS with " + host_ + ":" + std::to_string(port_)
                         + ": " + reason);
  }
  lost(reason);
}

void loop::on_signals() {
  unsigned char buf[64];
  auto n = ::read(signal_read_fd, buf, sizeof(buf));
  for (ssize_t i = 0; i < n; ++i)
    f_.on_signal(buf[i], s_);
}

} // namespace

void install_signal_pipe() {
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
    return;
  signal_read_fd = fds[0];
  signal_write_fd = fds[1];
  struct sigaction sa {};
  sa.sa_handler = on_signal_cb;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; // no SA_RESTART: a blocking read returns EINTR
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGWINCH})
    ::sigaction(sig, &sa, nullptr);
}

int run(session& s, frontend& f, const std::string& host, uint16_t port,
        std::shared_ptr<const net::tls_context> tls) {
  loop l{s, f, host, port, std::move(tls)};
  return l.run();
}

} // namespace kurir::client
