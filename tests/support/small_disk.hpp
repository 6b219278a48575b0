#pragma once

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace kurir::test {

/// A small tmpfs mounted on a fresh directory, unmounted when the test ends:
/// a disk that really fills up (ENOSPC), without touching the machine's own
/// disks. Mounting needs root (CI runs as root); `mounted()` says whether it
/// worked.
class small_disk {
public:
  /// Mounts a tmpfs of `bytes` on a fresh directory.
  explicit small_disk(std::size_t bytes) {
    auto opts = "size=" + std::to_string(bytes) + ",mode=0700";
    if (::mount("tmpfs", dir_.path().c_str(), "tmpfs", 0, opts.c_str()) == 0)
      mounted_ = true;
    else
      error_ = std::strerror(errno);
  }

  ~small_disk() {
    if (mounted_)
      ::umount2(dir_.path().c_str(), MNT_DETACH);
  }

  small_disk(const small_disk&) = delete;
  small_disk& operator=(const small_disk&) = delete;

  /// Returns whether the tmpfs is mounted.
  bool mounted() const noexcept { return mounted_; }
  /// Returns why mounting failed.
  const std::string& error() const noexcept { return error_; }
  /// Returns the mount point.
  const std::string& path() const noexcept { return dir_.path(); }

  /// Fills the disk with a ballast file until a write fails with ENOSPC;
  /// returns the bytes written.
  std::size_t fill() {
    int fd = ::open(dir_.file("ballast").c_str(), O_WRONLY | O_CREAT | O_APPEND,
                    0600);
    if (fd < 0)
      throw std::runtime_error("cannot create the ballast file");
    std::vector<char> block(4096, 'x');
    std::size_t total = 0;
    for (;;) {
      auto n = ::write(fd, block.data(), block.size());
      if (n <= 0)
        break; // ENOSPC: the disk is full
      total += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return total;
  }

  /// Removes the ballast: the space returns.
  void free_space() { ::unlink(dir_.file("ballast").c_str()); }

private:
  temp_dir dir_;
  bool mounted_ = false;
  std::string error_;
};

} // namespace kurir::test
