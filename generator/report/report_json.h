#pragma once
// OUT/report.json: what the chosen design achieves (latency, area and its breakdown, energy,
// per-unit rows, the schedule by group) and how it was reached (criteria candidates and their
// latencies, tuning trials, the exhaustive check) next to every other design of the run
// (homogeneous -S/-SP, greedy, all-weights-on-chip baselines). docs/design-json.md.
#include "opt/optimizer.h"
#include "report/json_format.h"
#include "report/run_info.h"

namespace pimhls::report {

inline constexpr int kReportSchemaVersion = 1;

Json report_json(const opt::Problem& problem, const opt::OptimizationResult& result,
                 const RunInfo& info);

}  // namespace pimhls::report
