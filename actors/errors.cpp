#include "actors/errors.hpp"

#include <caf/atom.hpp>
#include <caf/make_message.hpp>
#include <caf/sec.hpp>

namespace kurir {

namespace {

constexpr caf::atom_value kurir_category = caf::atom("kurir");

} // namespace

caf::error make_caf_error(errc code, std::string detail) {
  return caf::error{static_cast<uint8_t>(code), kurir_category,
                    caf::make_message(std::move(detail))};
}

caf::error make_caf_error(const failure& f) {
  return make_caf_error(f.code, f.detail);
}

failure to_failure(const caf::error& err) {
  if (err.category() == kurir_category) {
    std::string detail;
    const auto& ctx = err.context();
    if (ctx.match_elements<std::string>())
      detail = ctx.get_as<std::string>(0);
    return {static_cast<errc>(err.code()), std::move(detail)};
  }
  if (err == caf::sec::request_timeout)
    return {errc::server_busy, "request timed out"};
  return {errc::internal_error, "an internal actor failed"};
}

} // namespace kurir
