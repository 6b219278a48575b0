#pragma once

// The web client's files, compiled into kurird from web/ by
// cmake/embed_assets.cmake (no file is read at run time).

#include <string_view>

namespace kurir::net {

/// One file of the web client.
struct web_asset {
  std::string_view path; ///< as requested, e.g. "/app.js"
  std::string_view type; ///< its Content-Type
  std::string_view body; ///< its bytes
};

/// Returns the asset served at `path` ("/" is "/index.html"), or null.
const web_asset* find_web_asset(std::string_view path);

} // namespace kurir::net
