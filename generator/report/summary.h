#pragma once
// The short tables `pimhls gen` and `pimhls sweep` print, and the sweep's CSV.
#include <string>

#include "opt/optimizer.h"
#include "opt/sweep.h"

namespace pimhls::report {

// Every design of the run, the chosen one first, with its speed-up over the others.
std::string gen_summary(const opt::Problem& problem, const opt::OptimizationResult& result);

// Latency (us) per area budget: heterogeneous and each homogeneous technology, -SP and -S.
std::string sweep_table(const opt::Problem& problem, const opt::Sweep& sweep);
std::string sweep_csv(const opt::Problem& problem, const opt::Sweep& sweep);

}  // namespace pimhls::report
