#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "actors/metrics/gathering.hpp"

namespace kurir::metrics {

/// The page's content type (Prometheus text exposition format 0.0.4).
inline constexpr std::string_view content_type
  = "text/plain; version=0.0.4; charset=utf-8";

/// Renders `v` in the Prometheus text exposition format; every family of
/// docs/PROTOCOL.md "Metrics" appears, with zeros where nothing happened
/// (a family whose owner did not answer is left out and counted in
/// `kurir_metrics_reports_missing`).
std::string render(const view& v);

/// Escapes a label value: backslash, double quote and newline.
std::string escape_label(std::string_view value);

/// Writes `x` as Prometheus reads it: integers without a fraction,
/// `+Inf` for infinity.
std::string format_number(double x);

} // namespace kurir::metrics
