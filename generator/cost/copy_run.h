#pragma once
// Copies of a unit that share one off-chip weight stream: the reload writes a row to every copy
// of a run at once, and a run's copies sit at an even tile distance (docs/isa.md, "Off-chip
// weight image"). compile/ cuts a unit's copies of one array geometry into runs, in tile order;
// the cost model counts the runs the same way, with this rule.
#include <cstdint>

namespace pimhls::cost {

struct CopyRun {
  std::int64_t first_tile = 0;
  std::int64_t copies = 1;
  std::int64_t stride = 0;  // tiles between consecutive copies (0 for a copy alone)

  // Adds the copy at `first_tile` (after this run's copies in tile order) if it keeps the
  // distance even; false: it starts a run of its own.
  bool extend(std::int64_t next_first_tile) {
    const std::int64_t gap = next_first_tile - (first_tile + (copies - 1) * stride);
    if (gap <= 0 || (copies > 1 && gap != stride)) return false;
    stride = gap;
    ++copies;
    return true;
  }
};

}  // namespace pimhls::cost
