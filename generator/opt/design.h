#pragma once
// A concrete design: the physical tiles (each with one tile option), the layer groups, and for
// every unit of every group the tiles each of its copies occupies. Everything reported (the
// heterogeneous design, the homogeneous ones, the baselines) is a Design and is measured by the
// one function evaluate() (opt/evaluate.h), so all numbers are comparable.
#include <cstdint>
#include <string>
#include <vector>

#include "opt/units.h"

namespace pimhls::opt {

// Consecutive physical tiles with one option. The tile sets of a design are the paper's
// (Fig. 4c): within every layer group, each tile set serves at most one unit.
struct TileSet {
  int option = 0;
  std::int64_t first_tile = 0;
  std::int64_t tiles = 0;
};

struct CopyPlacement {
  int option = 0;
  std::int64_t first_tile = 0;  // the copy occupies first_tile .. first_tile + tiles - 1
  std::int64_t tiles = 0;
};

struct LayerGroup {
  int first_unit = 0;  // units first_unit .. last_unit, in topological order
  int last_unit = 0;
  std::vector<std::vector<CopyPlacement>> copies;  // per unit of the group: its copies
};

struct Design {
  std::string name;            // "heterogeneous -SP", "RRAM baseline", ...
  double area_budget_um2 = 0;  // 0: none (the all-weights-on-chip baselines)
  std::vector<int> layer_technology;
  std::vector<Unit> units;
  std::vector<int> unit_technology;
  std::vector<std::int64_t> live_bits_at_cut;  // per cut between units
  std::vector<TileSet> tile_sets;              // by physical tile, technologies in problem order
  std::vector<LayerGroup> groups;

  std::int64_t tile_count() const {
    return tile_sets.empty() ? 0 : tile_sets.back().first_tile + tile_sets.back().tiles;
  }
};

}  // namespace pimhls::opt
