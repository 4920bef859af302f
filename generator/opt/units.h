#pragma once
// Alg. 1 lines 2-6: the schedulable units of a technology assignment. A layer whose single copy
// does not fit the tiles of its technology is split into pieces (ceil(tiles / available) to
// start with, more if a piece still does not fit): output-channel (column) pieces first, then
// input-channel (row) pieces, whose partial sums are accumulated. Pieces are consecutive units.
#include <cstdint>
#include <optional>
#include <vector>

#include "opt/group_cost.h"
#include "opt/problem.h"

namespace pimhls::opt {

struct Unit {
  int layer = 0;
  int column_piece = 0, column_pieces = 1;  // output channels (groups, for grouped convs)
  int row_piece = 0, row_pieces = 1;        // input channels of each group
  std::int64_t out_channel_offset = 0;      // first output channel of the piece
  std::int64_t in_channel_offset = 0;       // first input channel (within each group)
  cost::LayerShape shape;                   // the piece's own weight matrix

  bool is_split() const { return column_pieces * row_pieces > 1; }
};

struct UnitPlan {
  std::vector<Unit> units;
  std::vector<int> layer_first_unit;  // per layer
  std::vector<int> layer_last_unit;
  ScheduleInput input;  // costs on each technology's option, tiles, live bits
};

// The units of `layer_technology` (per layer) when technology t has tiles[t] tiles of
// option[t]; nullopt if a layer cannot be split small enough (a single input and output
// channel does not fit).
std::optional<UnitPlan> plan_units(const Problem& problem, const std::vector<int>& layer_technology,
                                   const std::vector<int>& option,
                                   const std::vector<std::int64_t>& tiles);

// Conv groups per array of `unit` on `option`: a piece's pinned packing, else as many as fit
// (the whole layer's cost on that option).
std::int64_t groups_per_array(const Problem& problem, const Unit& unit, int option);

// The piece shapes of a layer cut into column_pieces x row_pieces (column-major order); a
// grouped layer's column pieces hold whole packs of `groups_per_array` groups, and every
// piece's shape pins that packing.
std::vector<Unit> split_layer(const Problem& problem, int layer, int column_pieces, int row_pieces,
                              std::int64_t groups_per_array = 1);

}  // namespace pimhls::opt
