#include "net/tls/tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "net/tls/tls_errors.hpp"

namespace kurir::net {

const char* const default_tls12_ciphers
  = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

namespace {

using ctx_result = outcome<std::shared_ptr<const tls_context>>;

/// Owns an SSL_CTX until it is handed to a tls_context.
struct ctx_guard {
  SSL_CTX* ctx;
  ~ctx_guard() {
    if (ctx != nullptr)
      SSL_CTX_free(ctx);
  }
  SSL_CTX* release() { return std::exchange(ctx, nullptr); }
};

/// Parses "1.2" or "1.3" (or "" for `fallback`) into an OpenSSL version.
int parse_version(const std::string& text, int fallback) {
  if (text.empty())
    return fallback;
  if (text == "1.2")
    return TLS1_2_VERSION;
  if (text == "1.3")
    return TLS1_3_VERSION;
  return -1;
}

failure bad(std::string what) {
  return failure{errc::bad_request, std::move(what)};
}

} // namespace

tls_context::~tls_context() {
  SSL_CTX_free(ctx_);
}

ctx_result tls_context::make_server(const tls_server_config& cfg) {
  ERR_clear_error();
  ctx_guard g{SSL_CTX_new(TLS_server_method())};
  if (g.ctx == nullptr)
    return bad("TLS: cannot make a context: " + tls_error_text());
  auto min = parse_version(cfg.min_version, TLS1_2_VERSION);
  if (min < 0)
    return bad("TLS: minimum version must be 1.2 or 1.3, not "
               + cfg.min_version);
  SSL_CTX_set_min_proto_version(g.ctx, min);
  // No renegotiation (a renegotiating client is closed), no compression,
  // no session tickets: every connection makes a full handshake, and a
  // reloaded certificate is used by the next one.
  SSL_CTX_set_options(g.ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION
                               | SSL_OP_CIPHER_SERVER_PREFERENCE
                               | SSL_OP_NO_TICKET);
  SSL_CTX_set_num_tickets(g.ctx, 0);
  SSL_CTX_set_session_cache_mode(g.ctx, SSL_SESS_CACHE_OFF);
  // Idle connections give their read and write buffers back.
  SSL_CTX_set_mode(g.ctx, SSL_MODE_RELEASE_BUFFERS);
  auto ciphers = cfg.ciphers.empty() ? default_tls12_ciphers : cfg.ciphers;
  if (SSL_CTX_set_cipher_list(g.ctx, ciphers.c_str()) != 1)
    return bad("TLS: no usable cipher in '" + ciphers + "'");
  if (SSL_CTX_use_certificate_chain_file(g.ctx, cfg.cert_file.c_str()) != 1)
    return bad("TLS: cannot load the certificate " + cfg.cert_file + ": "
               + tls_error_text());
  if (SSL_CTX_use_PrivateKey_file(g.ctx, cfg.key_file.c_str(), SSL_FILETYPE_PEM)
      != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      return bad("TLS: the key " + cfg.key_file + " does not match "
                 + cfg.cert_file);
    }
    return bad("TLS: cannot load the key " + cfg.key_file + ": "
               + tls_error_text());
  }
  if (SSL_CTX_check_private_key(g.ctx) != 1)
    return bad("TLS: the key " + cfg.key_file + " does not match "
               + cfg.cert_file);
  std::shared_ptr<const tls_context> res{
    new tls_context(g.release(), false, false)};
  return res;
}

ctx_result tls_context::make_client(const tls_client_config& cfg) {
  ERR_clear_error();
  ctx_guard g{SSL_CTX_new(TLS_client_method())};
  if (g.ctx == nullptr)
    return bad("TLS: cannot make a context: " + tls_error_text());
  SSL_CTX_set_min_proto_version(g.ctx, TLS1_2_VERSION);
  auto max = parse_version(cfg.max_version, 0);
  if (max < 0)
    return bad("TLS: maximum version must be 1.2 or 1.3");
  SSL_CTX_set_max_proto_version(g.ctx, max);
  SSL_CTX_set_cipher_list(g.ctx, default_tls12_ciphers);
  if (cfg.verify) {
    SSL_CTX_set_verify(g.ctx, SSL_VERIFY_PEER, nullptr);
    auto ok
      = cfg.ca_file.empty()
          ? SSL_CTX_set_default_verify_paths(g.ctx)
          : SSL_CTX_load_verify_locations(g.ctx, cfg.ca_file.c_str(), nullptr);
    if (ok != 1)
      return bad("TLS: cannot load the CA certificates "
                 + (cfg.ca_file.empty() ? "of the system" : cfg.ca_file) + ": "
                 + tls_error_text());
  } else {
    SSL_CTX_set_verify(g.ctx, SSL_VERIFY_NONE, nullptr);
  }
  std::shared_ptr<const tls_context> res{
    new tls_context(g.release(), true, cfg.verify)};
  return res;
}

std::string_view refusal_alert() {
  // content type 21 (alert), version 3.3, length 2, level 2 (fatal),
  // description 49 (access_denied)
  static constexpr char alert[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31};
  return {alert, sizeof(alert)};
}

} // namespace kurir::net
