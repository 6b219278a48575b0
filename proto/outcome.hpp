#pragma once

#include <optional>
#include <string>
#include <utility>

#include "proto/errc.hpp"

namespace kurir {

/// A failure: an error code plus a readable detail for logs and error frames.
struct failure {
  errc code = errc::internal_error;
  std::string detail;
};

/// Either a value of type T or a failure; kurir's CAF-free `expected<T>`.
template<class T>
class outcome {
public:
  /// Constructs a successful outcome.
  outcome(T value) : value_(std::move(value)) {}
  /// Constructs a failed outcome.
  outcome(failure f) : failure_(std::move(f)) {}
  /// Constructs a failed outcome from a code and a detail text.
  outcome(errc code, std::string detail = {})
      : failure_(failure{code, std::move(detail)}) {}

  /// Returns whether this holds a value.
  explicit operator bool() const noexcept { return value_.has_value(); }
  /// Returns the value; requires `*this` to be true.
  T& operator*() { return *value_; }
  /// Returns the value; requires `*this` to be true.
  const T& operator*() const { return *value_; }
  /// Accesses the value; requires `*this` to be true.
  T* operator->() { return &*value_; }
  /// Accesses the value; requires `*this` to be true.
  const T* operator->() const { return &*value_; }
  /// Returns the failure; requires `*this` to be false.
  const failure& error() const { return failure_; }

private:
  std::optional<T> value_;
  failure failure_;
};

/// The outcome of an operation that produces no value.
struct done {};

} // namespace kurir
