#pragma once
// Stable JSON: ordered keys (nlohmann::ordered_json, insertion order) and numbers rounded to a
// fixed number of decimals, so that the same inputs give byte-identical files.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "opt/problem.h"

namespace pimhls::report {

using Json = nlohmann::ordered_json;

// `value` rounded to `decimals` decimals (and -0 made 0).
double rounded(double value, int decimals = 6);

// Two-space indented text with a final newline.
std::string dump(const Json& json);

// Technology names per layer, e.g. ["sram", "rram", ...].
Json technology_names(const opt::Problem& problem, const std::vector<int>& layer_technology);

// One letter per layer (the technologies' first letters, or their indices when two share one).
std::string assignment_code(const opt::Problem& problem, const std::vector<int>& layer_technology);

}  // namespace pimhls::report
