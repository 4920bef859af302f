#pragma once
// OUT/design.json: the chosen design as the RTL compiler and the golden model read it back
// (docs/design-json.md): tiles with technology and parameters, units (layers and their split
// pieces), layer groups, the mapping of every unit's copies onto tiles, and the schedule.
#include "opt/optimizer.h"
#include "report/json_format.h"
#include "report/run_info.h"

namespace pimhls::report {

inline constexpr int kDesignSchemaVersion = 1;

Json design_json(const opt::Problem& problem, const opt::DesignResult& design, const RunInfo& info);

}  // namespace pimhls::report
