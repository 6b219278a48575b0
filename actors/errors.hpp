#pragma once

#include <string>

#include <caf/error.hpp>

#include "proto/outcome.hpp"

namespace kurir {

/// Wraps a kurir failure into a `caf::error` (category `kurir`) so that
/// actors can answer requests with it.
caf::error make_caf_error(errc code, std::string detail = {});

/// Wraps a failure into a `caf::error`.
caf::error make_caf_error(const failure& f);

/// Unwraps a `caf::error`: kurir errors keep their code and detail; CAF's
/// own (a request timeout, a dead actor) become `server_busy` or
/// `internal_error`.
failure to_failure(const caf::error& err);

} // namespace kurir
