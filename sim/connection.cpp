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

int connection::open(const sockaddr_in& addr) {
  close();
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

bool connection::flush() {
  if (fd_ < 0)
    return false;
  while (sent_ < out_.size()) {
    auto n
      = ::send(fd_, out_.data() + sent_, out_.size() - sent_, MSG_NOSIGNAL);
    if (n < 0)
      return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    sent_ += static_cast<std::size_t>(n);
  }
  out_.clear();
  sent_ = 0;
  return true;
}

read_status connection::read(std::size_t budget) {
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
}

void connection::abort() {
  if (fd_ >= 0) {
    linger lg{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  }
  close();
}

} // namespace kurir::sim
