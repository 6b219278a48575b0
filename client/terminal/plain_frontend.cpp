#include "client/terminal/plain_frontend.hpp"

#include <cerrno>
#include <csignal>
#include <unistd.h>

#include "client/terminal/commands.hpp"
#include "client/terminal/format.hpp"

namespace kurir::client {

plain_frontend::plain_frontend(int in_fd, std::FILE* out)
    : in_fd_(in_fd), out_(out) {
  // nop
}

void plain_frontend::on_input(session& s) {
  char chunk[4096];
  auto n = ::read(in_fd_, chunk, sizeof(chunk));
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (n <= 0) {
    if (!buf_.empty())
      s.execute(parse_line(buf_));
    buf_.clear();
    in_fd_ = -1;
    s.finish();
    return;
  }
  buf_.append(chunk, static_cast<std::size_t>(n));
  std::size_t start = 0;
  for (auto nl = buf_.find('\n'); nl != std::string::npos;
       nl = buf_.find('\n', start)) {
    s.execute(parse_line(std::string_view{buf_}.substr(start, nl - start)));
    start = nl + 1;
  }
  buf_.erase(0, start);
}

void plain_frontend::show(const event& e, const session&) {
  auto text = plain_format(e);
  if (text.empty())
    return;
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

void plain_frontend::on_signal(int sig, session& s) {
  if (sig != SIGWINCH)
    s.stop(exit_code::interrupted);
}

} // namespace kurir::client
