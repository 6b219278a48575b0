#pragma once

// The phases of a run: log everyone in, set up groups, send under faults,
// drain, settle, audit.

#include "sim/options.hpp"
#include "sim/report.hpp"

namespace kurir::sim {

/// Runs the workload `opt` asks for and fills `rep`. Returns 0 when the
/// audit and every check passed, 1 when not, 2 when the run could not start.
int run_workload(const options& opt, report& rep);

} // namespace kurir::sim
