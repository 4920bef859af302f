#pragma once
// What the search knows about the hardware: the tile options it may build and, for every
// schedulable unit (a weight layer or a piece of a split one), the cost of ONE copy of the unit
// on each option. The search works on these numbers only: they are filled once from cost/
// (opt/cost_tables.cpp) or made up by the property tests, so the search is fast and testable.
//
// Timing follows cost::Timing exactly: a copy starts a vector every interval_cycles and each
// vector takes depth_cycles through it, so d copies sharing the vectors finish after
// (ceil(vectors / d) - 1) * interval + depth, and their first lead_vectors outputs (what the
// next layer needs to start) after (ceil(lead_vectors / d) - 1) * interval + depth.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pimhls::opt {

// A tile configuration: one technology (tile type) with one array size and readout count.
struct TileOption {
  int technology = 0;  // index into Problem::technologies
  std::string label;   // "rram 256x256, 16 ADCs/array", for tables and messages
  int array_size = 0;  // rows = cols
  int adcs_per_array = 0;
  double tile_area_um2 = 0;
};

// One copy of a unit on one tile option.
struct UnitCost {
  bool feasible = true;               // false: the option cannot hold the unit at all
  std::int64_t tiles = 0;             // tiles one copy occupies
  std::int64_t vectors = 1;           // input vectors per inference (output pixels, or M)
  std::int64_t lead_vectors = 1;      // outputs the next layer needs before it starts (1..vectors)
  std::int64_t interval_cycles = 1;   // initiation interval of one copy
  std::int64_t depth_cycles = 1;      // one vector through every stage of one copy
  std::int64_t write_cycles = 0;      // programming a copy: its fullest array's rows
  std::int64_t row_write_cycles = 0;  // programming one row
  std::int64_t reload_bits = 0;       // off-chip image of one copy, streamed at every reload
  double compute_energy_pj = 0;       // one inference; independent of duplication
  double write_energy_pj = 0;         // programming one copy's cells
  std::int64_t groups_per_array = 1;  // conv groups packed into one array (cost::Mapping)
};

// Cycles until `copies` copies sharing the unit's vectors have finished all of them.
std::int64_t compute_cycles(const UnitCost& cost, std::int64_t copies);
// Cycles until they have finished the first lead_vectors (the next layer may start).
std::int64_t fill_cycles(const UnitCost& cost, std::int64_t copies);

// Vectors one copy finishes within `cycles`.
std::int64_t vectors_within(const UnitCost& cost, std::int64_t cycles);

// Smallest number of copies that finish the unit within `target_cycles` (0 if impossible,
// i.e. the target is below one vector's depth). Never more than `vectors` copies.
std::int64_t copies_for(const UnitCost& cost, std::int64_t target_cycles);

// Copies of one unit that sit on different options: the controller deals vectors to the copies
// in proportion to their speed, so `vectors` are done at the smallest T at which the copies
// together have finished that many.
using MixedCopies = std::vector<std::pair<const UnitCost*, std::int64_t>>;
std::int64_t mixed_cycles(const MixedCopies& copies, std::int64_t vectors);

// Off-chip transfer time of `bits` through the weight port.
std::int64_t transfer_cycles(std::int64_t bits, double offchip_bits_per_cycle);

// One unit of a layer group's pipeline (cost::extend_pipeline): it starts when its producer has
// put out its lead outputs, and finishes when it has streamed all its vectors but not before its
// producer's last output has gone through it.
struct PipelineStage {
  std::int64_t compute_cycles = 0;
  std::int64_t fill_cycles = 0;
  std::int64_t depth_cycles = 0;
};
struct StageTiming {
  std::int64_t start_cycle = 0;
  std::int64_t finish_cycle = 0;
};
// Start and finish of each stage (relative to the group's compute start); the group's compute
// time is the last finish.
std::vector<StageTiming> pipeline_timing(const std::vector<PipelineStage>& stages);

}  // namespace pimhls::opt
