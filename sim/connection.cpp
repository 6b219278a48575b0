#include "sim/connection.hpp"

#include <cerrno>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kurir::sim {

namespace {

/// The largest frame accepted from the broker (a 16 KiB body, escaped).
constexpr std::size_t max_frame = std::size_t{1} << 20;

} // namespace

connection::connection() : reader_(max_frame) {
  // nop
}

connection::~connection() {
  close();
}

int connection::open(const sockaddr_in& addr,
                     std::shared_ptr<const net::tls_context> tls,
                     const std::string& host) {
  close();
  if (tls) {
    tls_ = std::make_unique<net::tls_stream>(std::move(tls), host);
    wire_ = tls_->take_output(); // the ClientHello
  }
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0)
    return errno;
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  auto rc
    = ::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  if (rc != 0 && errno != EINPROGRESS) {
    auto err = errno;
    close();
    return err;
  }
  return 0;
}

int connection::connect_result() const {
  int err = 0;
  socklen_t len = sizeof(err);
  if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    return errno;
  return err;
}

bool connection::send_all(const std::string& bytes, std::size_t& sent) {
  while (sent < bytes.size()) {
    auto n
      = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0)
      return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool connection::flush() {
  if (fd_ < 0)
    return false;
  if (tls_) {
    if (!out_.empty() && !tls_->write(out_))
      return false;
    out_.clear();
    wire_ += tls_->take_output();
    auto ok = send_all(wire_, wire_sent_);
    if (wire_sent_ == wire_.size()) {
      wire_.clear();
      wire_sent_ = 0;
    }
    return ok;
  }
  auto ok = send_all(out_, sent_);
  if (sent_ == out_.size()) {
    out_.clear();
    sent_ = 0;
  }
  return ok;
}

read_status connection::read_tls(std::size_t budget) {
  constexpr std::size_t chunk = 16384;
  char buf[chunk];
  std::string plain;
  while (budget > 0) {
    auto n = ::recv(fd_, buf, chunk, 0);
    if (n == 0)
      return read_status::closed;
    if (n < 0)
      return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR
               ? read_status::open
               : read_status::closed;
    auto got = static_cast<std::size_t>(n);
    plain.clear();
    auto ok = tls_->feed({buf, got}, plain);
    wire_ += tls_->take_output(); // handshake records: the next flush
    if (!ok)
      return read_status::closed;
    reader_.append(plain);
    budget = got >= budget ? 0 : budget - got;
    if (got < chunk)
      break;
  }
  return read_status::open;
}

read_status connection::read(std::size_t budget) {
  if (tls_)
    return read_tls(budget);
  constexpr std::size_t chunk = 65536;
  while (budget > 0) {
    auto n = ::recv(fd_, reader_.prepare(chunk), chunk, 0);
    if (n == 0)
      return read_status::closed;
    if (n < 0)
      return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR
               ? read_status::open
               : read_status::closed;
    auto got = static_cast<std::size_t>(n);
    reader_.commit(got);
    budget = got >= budget ? 0 : budget - got;
    if (got < chunk)
      break;
  }
  return read_status::open;
}

void connection::close() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  out_.clear();
  sent_ = 0;
  reader_.clear();
  tls_.reset();
  wire_.clear();
  wire_sent_ = 0;
}

void connection::abort() {
  if (fd_ >= 0) {
    linger lg{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  }
  close();
}

} // namespace kurir::sim
