#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace kurir::test {

/// A fresh directory under /tmp for one test, removed with its contents
/// when the test ends.
class temp_dir {
public:
  temp_dir() {
    std::string tmpl = "/tmp/kurir-test-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }

  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  /// Returns the directory's path.
  const std::string& path() const noexcept { return path_; }

  /// Returns the path of `name` inside the directory.
  std::string file(std::string_view name) const {
    return path_ + "/" + std::string{name};
  }

  /// Writes `text` to the file `name` inside the directory.
  void write(std::string_view name, const std::string& text) const {
    std::ofstream out{file(name), std::ios::binary};
    out << text;
  }

  /// Returns the contents of the file `name` (empty if missing).
  std::string read(std::string_view name) const {
    std::ifstream in{file(name), std::ios::binary};
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
  }

private:
  std::string path_;
};

} // namespace kurir::test
