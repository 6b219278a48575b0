#include "tests/support/test_certs.hpp"

#include <cstdio>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace kurir::test {

namespace {

EVP_PKEY* new_key() {
  auto* k = EVP_EC_gen("P-256");
  if (k == nullptr)
    throw std::runtime_error("test_certs: EVP_EC_gen failed");
  return k;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  auto* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr)
    throw std::runtime_error("test_certs: bad extension " + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

/// Makes an unsigned certificate for `key` named `cn`, issued by `issuer`
/// (or by itself when it is null).
X509* make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer,
                long from_days, long to_days) {
  static long serial = 1;
  auto* c = X509_new();
  X509_set_version(c, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(c), serial++);
  X509_gmtime_adj(X509_getm_notBefore(c), from_days * 86400);
  X509_gmtime_adj(X509_getm_notAfter(c), to_days * 86400);
  X509_set_pubkey(c, key);
  auto* name = X509_get_subject_name(c);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()),
                             -1, -1, 0);
  X509_set_issuer_name(c, issuer != nullptr ? X509_get_subject_name(issuer)
                                            : name);
  return c;
}

void sign(X509* c, EVP_PKEY* key) {
  if (X509_sign(c, key, EVP_sha256()) == 0)
    throw std::runtime_error("test_certs: X509_sign failed");
}

void write_pem(const std::string& path, EVP_PKEY* key, X509* cert) {
  auto* f = std::fopen(path.c_str(), "w");
  if (f == nullptr)
    throw std::runtime_error("test_certs: cannot write " + path);
  auto ok = key != nullptr ? PEM_write_PrivateKey(f, key, nullptr, nullptr, 0,
                                                  nullptr, nullptr)
                           : PEM_write_X509(f, cert);
  std::fclose(f);
  if (ok != 1)
    throw std::runtime_error("test_certs: PEM write failed for " + path);
}

} // namespace

test_ca::test_ca(std::string dir, std::string name) : dir_(std::move(dir)) {
  auto* key = new_key();
  auto* cert = make_cert(key, name, nullptr, -1, 365);
  add_ext(cert, cert, NID_basic_constraints, "critical,CA:TRUE");
  add_ext(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(cert, cert, NID_subject_key_identifier, "hash");
  sign(cert, key);
  key_ = key;
  cert_ = cert;
  files_.cert = dir_ + "/ca.pem";
  files_.key = dir_ + "/ca.key";
  write_pem(files_.cert, nullptr, cert);
  write_pem(files_.key, key, nullptr);
}

test_ca::~test_ca() {
  X509_free(static_cast<X509*>(cert_));
  EVP_PKEY_free(static_cast<EVP_PKEY*>(key_));
}

cert_files test_ca::issue(const std::string& name,
                          std::vector<std::string> alt_names, long from_days,
                          long to_days) const {
  auto* ca_cert = static_cast<X509*>(cert_);
  auto* ca_key = static_cast<EVP_PKEY*>(key_);
  auto* key = new_key();
  auto* cert = make_cert(key, name, ca_cert, from_days, to_days);
  add_ext(cert, ca_cert, NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert, ca_cert, NID_ext_key_usage, "serverAuth");
  std::string alt;
  for (const auto& a : alt_names)
    alt += (alt.empty() ? "" : ",") + a;
  if (!alt.empty())
    add_ext(cert, ca_cert, NID_subject_alt_name, alt);
  sign(cert, ca_key);
  cert_files res{dir_ + "/" + name + ".pem", dir_ + "/" + name + ".key"};
  write_pem(res.cert, nullptr, cert);
  write_pem(res.key, key, nullptr);
  X509_free(cert);
  EVP_PKEY_free(key);
  return res;
}

} // namespace kurir::test
