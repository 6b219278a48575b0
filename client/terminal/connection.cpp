#include "client/terminal/connection.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kurir::client {

namespace {

/// Largest frame accepted from the broker; a delivery is at most the
/// broker's frame limit plus its escapes.
constexpr std::size_t max_incoming_frame = 1 << 20;

std::string error_text(int err) {
  return std::strerror(err);
}

} // namespace

connection::connection() : reader_(max_incoming_frame) {
  // nop
}

connection::~connection() {
  close();
}

std::string connection::start(const std::string& host, uint16_t port,
                              std::shared_ptr<const net::tls_context> tls) {
  close();
  tls_refused_ = false;
  if (tls) {
    tls_ = std::make_unique<net::tls_stream>(std::move(tls), host);
    out_ = tls_->take_output(); // the ClientHello
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  auto service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
      rc != 0)
    return "cannot resolve " + host + ": " + ::gai_strerror(rc);
  fd_ = ::socket(found->ai_family,
                 found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                 found->ai_protocol);
  if (fd_ < 0) {
    ::freeaddrinfo(found);
    return "socket: " + error_text(errno);
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  int rc = ::connect(fd_, found->ai_addr, found->ai_addrlen);
  int err = errno;
  ::freeaddrinfo(found);
  if (rc == 0 || err == EINPROGRESS) {
    connecting_ = rc != 0;
    return {};
  }
  close();
  return error_text(err);
}

std::string connection::finish_connect() {
  int err = 0;
  socklen_t len = sizeof(err);
  if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    err = errno;
  if (err != 0) {
    close();
    return error_text(err);
  }
  connecting_ = false;
  return {};
}

bool connection::read(std::vector<std::string>& frames, std::string& reason) {
  constexpr std::size_t chunk = 16384;
  char wire[chunk];
  auto n = tls_ ? ::recv(fd_, wire, chunk, 0)
                : ::recv(fd_, reader_.prepare(chunk), chunk, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return true;
  if (n <= 0) {
    reason = n == 0 ? "the broker closed the connection" : error_text(errno);
    if (tls_ && !tls_->established())
      reason += " during the TLS handshake (is this a TLS port?)";
    return false;
  }
  if (!tls_) {
    reader_.commit(static_cast<std::size_t>(n));
    return take_plain({}, frames, reason);
  }
  std::string plain;
  auto ok = tls_->feed({wire, static_cast<std::size_t>(n)}, plain);
  out_ += tls_->take_output();
  if (!ok) {
    tls_refused_ = !tls_->established();
    reason = tls_->error();
    return false;
  }
  if (!take_plain(plain, frames, reason))
    return false;
  if (tls_->peer_closed()) {
    reason = "the broker closed the connection";
    return false;
  }
  return true;
}

bool connection::take_plain(std::string_view plain,
                            std::vector<std::string>& frames,
                            std::string& reason) {
  if (!plain.empty())
    reader_.append(plain);
  std::string_view frame;
  while (reader_.next(frame))
    frames.emplace_back(frame);
  if (reader_.failed()) {
    reason = "the broker sent a frame that is too large";
    return false;
  }
  return true;
}

void connection::write(const std::string& bytes) {
  if (!tls_) {
    out_ += bytes;
    return;
  }
  tls_->write(bytes);
  out_ += tls_->take_output();
}

bool connection::flush(std::string& reason) {
  while (!out_.empty()) {
    auto n = ::send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
      return true;
    if (n < 0) {
      reason = error_text(errno);
      return false;
    }
    out_.erase(0, static_cast<std::size_t>(n));
  }
  return true;
}

void connection::close() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  connecting_ = false;
  out_.clear();
  reader_.clear();
  tls_.reset();
}

} // namespace kurir::client
