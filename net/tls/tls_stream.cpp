#include <array>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/tls/tls.hpp"
#include "net/tls/tls_errors.hpp"

namespace kurir::net {

std::string tls_error_text() {
  std::string text;
  while (auto e = ERR_get_error()) {
    std::array<char, 256> buf{};
    ERR_error_string_n(e, buf.data(), buf.size());
    if (!text.empty())
      text += "; ";
    text += buf.data();
  }
  return text;
}

namespace {

/// Returns whether `host` is an IPv4 or IPv6 address literal.
bool is_ip(const std::string& host) {
  auto* a = a2i_IPADDRESS(host.c_str());
  if (a == nullptr)
    return false;
  ASN1_OCTET_STRING_free(a);
  return true;
}

constexpr std::size_t read_buf = 16 * 1024; // one TLS record at most

} // namespace

tls_stream::tls_stream(std::shared_ptr<const tls_context> ctx, std::string host)
    : ctx_(std::move(ctx)) {
  ERR_clear_error();
  ssl_ = SSL_new(ctx_->native());
  if (ssl_ == nullptr) {
    fail("TLS: cannot make a connection: " + tls_error_text());
    return;
  }
  auto* rbio = BIO_new(BIO_s_mem());
  auto* wbio = BIO_new(BIO_s_mem());
  BIO_set_mem_eof_return(rbio, -1); // empty means "wait", not end of file
  BIO_set_mem_eof_return(wbio, -1);
  SSL_set_bio(ssl_, rbio, wbio);
  SSL_set_app_data(ssl_, this);
  SSL_set_info_callback(ssl_, &tls_stream::on_info);
  if (!ctx_->client()) {
    SSL_set_accept_state(ssl_);
    return;
  }
  SSL_set_connect_state(ssl_);
  if (!host.empty()) {
    if (is_ip(host)) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), host.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl_, host.c_str());
      SSL_set1_host(ssl_, host.c_str());
    }
  }
  step_handshake(); // the ClientHello
}

tls_stream::~tls_stream() {
  if (ssl_ != nullptr)
    SSL_free(ssl_); // frees both BIOs
}

void tls_stream::on_info(const ssl_st* ssl, int where, int ret) {
  auto* self = static_cast<tls_stream*>(SSL_get_app_data(ssl));
  if (self == nullptr)
    return;
  // A handshake that starts after the first one is a TLS 1.2
  // renegotiation (TLS 1.3 has none and reports no second start); a
  // server refusing one sends the alert no_renegotiation.
  auto again = (where & SSL_CB_HANDSHAKE_START) != 0 && self->established_;
  auto refused = (where & SSL_CB_WRITE_ALERT) != 0
                 && (ret & 0xff) == SSL_AD_NO_RENEGOTIATION;
  if (again || refused)
    self->renegotiation_ = true;
}

bool tls_stream::fail(std::string why) {
  if (error_.empty())
    error_ = std::move(why);
  return false;
}

bool tls_stream::step_handshake() {
  ERR_clear_error();
  auto rc = SSL_do_handshake(ssl_);
  drain_output(); // a failure's alert goes out too
  if (rc == 1) {
    established_ = true;
    return flush_pending();
  }
  auto err = SSL_get_error(ssl_, rc);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
    return true;
  auto why = tls_error_text();
  auto verify = SSL_get_verify_result(ssl_);
  if (ctx_->client() && ctx_->verifies() && verify != X509_V_OK)
    why = std::string{"certificate verify failed: "}
          + X509_verify_cert_error_string(verify);
  return fail("TLS handshake failed: " + (why.empty() ? "not TLS" : why));
}

bool tls_stream::read_plain(std::string& plain) {
  std::array<char, read_buf> buf;
  for (;;) {
    ERR_clear_error();
    auto n = SSL_read(ssl_, buf.data(), static_cast<int>(buf.size()));
    if (renegotiation_)
      return fail("TLS renegotiation refused");
    if (n > 0) {
      plain.append(buf.data(), static_cast<std::size_t>(n));
      continue;
    }
    auto err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
      return true;
    if (err == SSL_ERROR_ZERO_RETURN) {
      peer_closed_ = true;
      return true;
    }
    auto why = tls_error_text();
    return fail("TLS error: " + (why.empty() ? "broken record" : why));
  }
}

bool tls_stream::feed(std::string_view wire, std::string& plain) {
  if (!error_.empty() || ssl_ == nullptr)
    return false;
  BIO_write(SSL_get_rbio(ssl_), wire.data(), static_cast<int>(wire.size()));
  if (!established_ && !step_handshake())
    return false;
  if (established_ && !read_plain(plain)) {
    drain_output();
    return false;
  }
  drain_output();
  return true;
}

bool tls_stream::flush_pending() {
  if (pending_.empty())
    return true;
  auto data = std::move(pending_);
  pending_.clear();
  return write(data);
}

bool tls_stream::write(std::string_view plain) {
  if (!error_.empty() || ssl_ == nullptr)
    return false;
  if (!established_) {
    pending_.append(plain);
    return true;
  }
  while (!plain.empty()) {
    ERR_clear_error();
    auto n = SSL_write(ssl_, plain.data(), static_cast<int>(plain.size()));
    if (n <= 0)
      return fail("TLS write failed: " + tls_error_text());
    plain.remove_prefix(static_cast<std::size_t>(n));
  }
  drain_output();
  return true;
}

void tls_stream::shutdown() {
  if (ssl_ == nullptr || !established_ || !error_.empty())
    return;
  ERR_clear_error();
  SSL_shutdown(ssl_);
  drain_output();
}

void tls_stream::drain_output() {
  auto* wbio = SSL_get_wbio(ssl_);
  auto pending = BIO_ctrl_pending(wbio);
  if (pending == 0)
    return;
  auto old = out_.size();
  out_.resize(old + pending);
  auto n = BIO_read(wbio, out_.data() + old, static_cast<int>(pending));
  out_.resize(old + static_cast<std::size_t>(n > 0 ? n : 0));
}

std::string tls_stream::take_output() {
  if (ssl_ != nullptr)
    drain_output();
  return std::exchange(out_, {});
}

std::string tls_stream::description() const {
  if (!established_)
    return "TLS (handshake under way)";
  return std::string{SSL_get_version(ssl_)} + " "
         + SSL_CIPHER_get_name(SSL_get_current_cipher(ssl_));
}

} // namespace kurir::net
