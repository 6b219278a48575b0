#pragma once

// Who sends what to whom: decided up front from --seed, before any socket.

#include <string>
#include <utility>
#include <vector>

#include "sim/options.hpp"

namespace kurir::sim {

/// A group and its members; the first member creates it.
struct group_plan {
  std::string name;                 ///< the group's name
  std::vector<std::string> members; ///< every member, the creator first
};

/// The whole run's plan.
struct plan {
  std::vector<std::string> users; ///< user names, by client index
  /// Per user, the target of each send: send n goes to `targets[u][n - 1]`.
  std::vector<std::vector<std::string>> targets;
  std::vector<group_plan> groups; ///< for the group workload
  /// For offline: the users that stay away while the others send.
  std::vector<bool> recipient;
};

/// Returns the name prefix: --prefix, else none for an own child and a
/// random one for an external broker (whose names may be taken already).
std::string name_prefix(const options& opt);

/// Makes the plan for `opt`'s workload with user and group names starting
/// with `prefix`.
plan make_plan(const options& opt, const std::string& prefix);

} // namespace kurir::sim
