#pragma once
// Fine-grained parameter tuning (Sec. IV-C), in two phases.
//
// Phase 1 (technology): each technology's tiles are re-built with each of its options from the
// same area plus the unused budget, and the assignment is scheduled again (layers re-split,
// DP): C trials per technology. When duplication fills a technology with the bottleneck's
// copies in every group (the usual case under a tight budget), this is the only trial that can
// change the option of every copy, because a copy cannot straddle two options. The three best
// designs (the unchanged one included) go on to phase 2, because the option that is best at
// once is not always the one that tunes best.
//
// Phase 2 (tile sets, the paper's step): with the layer groups fixed, the tile sets that hold
// bottleneck units get a better option (array size, readout units per array). Groups are
// visited by decreasing compute time; the tiles of the group's bottleneck unit (heavy units
// come first in every group, so these are the tiles that every group's heavy units share) are
// re-built with each option of their technology from the same area plus the unused budget.
// Because a bottleneck's copies often fill the whole technology, a trial re-builds the first
// 1/1, 1/2, 1/4 or 1/8 of its tiles (and, if re-building all of them leaves some group's units
// without room, the largest part that does not), i.e. one or more of the paper's tile sets.
// Every group is then placed again (duplication included) and the best trial is kept if it
// lowers the latency. Each range is tried once per layout, and the phase stops after 8 ranges
// in a row without a gain: O(C * L) trial batches at most.
#include <cstdint>
#include <string>
#include <vector>

#include "opt/design.h"
#include "opt/evaluate.h"
#include "opt/problem.h"

namespace pimhls::opt {

struct TuningTrial {
  bool technology_wide = false;  // phase 1: every tile of `technology`, groups re-scheduled
  int technology = 0;
  int group = 0;
  int unit = 0;  // the bottleneck unit whose tiles were re-built
  std::int64_t first_tile = 0;
  std::int64_t tiles = 0;            // the bottleneck's tiles
  std::int64_t converted_tiles = 0;  // the first converted_tiles of them are re-built ...
  int option = 0;                    // ... with this option
  std::int64_t new_tiles = 0;        // ... into this many tiles
  std::int64_t latency_cycles = 0;   // of the whole design with this trial (kInfeasible: no fit)
  bool accepted = false;
};

struct TuneResult {
  Design design;
  std::int64_t latency_cycles = 0;
  std::vector<TuningTrial> trials;
};

// `scheduled` must have a budget; the result never exceeds it and is never slower.
TuneResult tune(const Problem& problem, const Design& scheduled);

}  // namespace pimhls::opt
