#pragma once

// Certificates for TLS tests, made with OpenSSL's API at test time: a CA
// and server certificates it signs (for 127.0.0.1 and localhost unless told
// otherwise), written as PEM files into a directory. No file is checked in
// and no `openssl` command runs.

#include <string>
#include <vector>

namespace kurir::test {

/// PEM files of one certificate and its key.
struct cert_files {
  std::string cert; ///< the certificate (followed by nothing: a leaf)
  std::string key;  ///< its private key
};

/// A test CA: signs server certificates; `ca.cert` is the file a client
/// trusts.
class test_ca {
public:
  /// Makes a CA named `name` with files in `dir`.
  test_ca(std::string dir, std::string name = "kurir test CA");
  ~test_ca();
  test_ca(const test_ca&) = delete;
  test_ca& operator=(const test_ca&) = delete;

  /// Returns the CA's own files.
  const cert_files& files() const { return files_; }

  /// Issues a server certificate `name` for `alt_names` ("DNS:localhost",
  /// "IP:127.0.0.1"), valid from `from_days` to `to_days` relative to now
  /// (negative: in the past).
  cert_files issue(const std::string& name,
                   std::vector<std::string> alt_names
                   = {"DNS:localhost", "IP:127.0.0.1"},
                   long from_days = -1, long to_days = 30) const;

private:
  std::string dir_;
  void* key_ = nullptr;  ///< EVP_PKEY*
  void* cert_ = nullptr; ///< X509*
  cert_files files_;
};

} // namespace kurir::test
