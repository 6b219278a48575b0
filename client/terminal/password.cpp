#include "client/terminal/password.hpp"

#include <fcntl.h>
#include <fstream>
#include <termios.h>
#include <unistd.h>

namespace kurir::client {

namespace {

/// Closes a file descriptor when it goes out of scope.
struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0)
      ::close(fd);
  }
};

void write_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    auto n = ::write(fd, s.data() + off, s.size() - off);
    if (n <= 0)
      return;
    off += static_cast<std::size_t>(n);
  }
}

/// Reads one line from `fd`, byte by byte so nothing after it is consumed.
bool read_line(int fd, std::string& out) {
  out.clear();
  char c = 0;
  for (;;) {
    auto n = ::read(fd, &c, 1);
    if (n < 0)
      return false; // interrupted, e.g. by Ctrl-C
    if (n == 0)
      return !out.empty();
    if (c == '\n' || c == '\r')
      return true;
    out += c;
  }
}

} // namespace

bool read_password_file(const std::string& path, std::string& out) {
  std::ifstream f{path};
  if (!f)
    return false;
  std::getline(f, out);
  if (!out.empty() && out.back() == '\r')
    out.pop_back();
  return true;
}

bool ask_password(const std::string& prompt, std::string& out) {
  fd_guard tty{::open("/dev/tty", O_RDWR | O_CLOEXEC)};
  if (tty.fd < 0)
    return false;
  termios old{};
  if (::tcgetattr(tty.fd, &old) != 0)
    return false;
  auto quiet = old;
  quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
  quiet.c_lflag |= ICANON;
  write_all(tty.fd, prompt);
  ::tcsetattr(tty.fd, TCSAFLUSH, &quiet);
  bool ok = read_line(tty.fd, out);
  ::tcsetattr(tty.fd, TCSAFLUSH, &old);
  write_all(tty.fd, "\n");
  return ok;
}

} // namespace kurir::client
