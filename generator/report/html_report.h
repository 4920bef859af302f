#pragma once
// The readable face of report.json: one self-contained HTML page (inline CSS and SVG, no
// scripts, no network) with the chosen design's numbers, the comparison with every other design
// of the run, the schedule as a timeline, the per-unit table, the area and energy breakdowns and
// how the search went. It renders report.json and recomputes nothing, so the page and the JSON
// always agree; the same report gives the same bytes.
#include <string>

#include "report/json_format.h"

namespace pimhls::report {

// `report` is the object of report_json() (docs/design-json.md, "report.json").
std::string html_report(const Json& report);

}  // namespace pimhls::report
