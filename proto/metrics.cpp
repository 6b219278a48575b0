#include "proto/metrics.hpp"

#include <algorithm>

namespace kurir::metrics {

histogram histogram::over(std::vector<double> upper_bounds) {
  histogram h;
  h.counts.assign(upper_bounds.size() + 1, 0);
  h.bounds = std::move(upper_bounds);
  return h;
}

void histogram::observe(double value) {
  auto i = std::lower_bound(bounds.begin(), bounds.end(), value);
  auto bucket = static_cast<std::size_t>(i - bounds.begin());
  if (counts.size() != bounds.size() + 1)
    counts.resize(bounds.size() + 1, 0);
  ++counts[bucket];
  sum += value;
  ++count;
}

bool histogram::merge(const histogram& other) {
  if (bounds.empty() && count == 0) {
    *this = other;
    return true;
  }
  if (other.bounds != bounds || other.counts.size() != counts.size())
    return false;
  for (std::size_t i = 0; i < counts.size(); ++i)
    counts[i] += other.counts[i];
  sum += other.sum;
  count += other.count;
  return true;
}

std::vector<double> powers_of_two(double top) {
  std::vector<double> res;
  for (double b = 1; b <= top; b *= 2)
    res.push_back(b);
  return res;
}

std::vector<double> latency_bounds() {
  return {0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02,
          0.05,   0.1,    0.2,    0.5,   1,     2,     5,    10};
}

void session_counters::count_error(errc code) {
  auto i = static_cast<std::size_t>(code);
  if (errors.size() <= i)
    errors.resize(i + 1, 0);
  ++errors[i];
}

void session_counters::add(const session_counters& other) {
  frames_in += other.frames_in;
  frames_out += other.frames_out;
  deliveries_live += other.deliveries_live;
  deliveries_stored += other.deliveries_stored;
  acks += other.acks;
  redeliveries += other.redeliveries;
  resends += other.resends;
  logins_ok += other.logins_ok;
  logins_failed += other.logins_failed;
  logins_throttled += other.logins_throttled;
  registrations += other.registrations;
  if (errors.size() < other.errors.size())
    errors.resize(other.errors.size(), 0);
  for (std::size_t i = 0; i < other.errors.size(); ++i)
    errors[i] += other.errors[i];
}

} // namespace kurir::metrics
