#pragma once
// The analytic cost of one layer on one tile configuration: a pure function of (layer shape,
// library, tile configuration, duplication). Every equation is in layer_cost.cpp and documented
// term by term in docs/cost-model.md. No allocation: the optimizer calls it millions of times.
#include <cstdint>

#include "cost/layer_shape.h"
#include "cost/tile_config.h"
#include "hw/library.h"

namespace pimhls::cost {

// Cycles from a vector's MVM to its output at the least: the RTL datapath registers the last
// conversion, accumulates, drains and writes (docs/rtl.md, "Functional latency").
inline constexpr std::int64_t kMinWriteCycles = 4;

// How the weight matrix lands on arrays (docs/cost-model.md, "Mapping").
struct Mapping {
  std::int64_t slices = 0;              // ceil(weight_bits / bits_per_cell) adjacent columns
  std::int64_t weights_per_array = 0;   // output channels per array: floor(cols / slices)
  std::int64_t channels_per_block = 0;  // whole kernels per row block (0: kernel split by rows)
  std::int64_t rows_per_block = 0;      // rows of a full row block
  std::int64_t row_blocks = 0;          // per group
  std::int64_t col_blocks = 0;          // per group
  std::int64_t arrays_per_copy = 0;
  std::int64_t arrays = 0;  // all copies
  std::int64_t tiles_per_copy = 0;
  std::int64_t tiles = 0;             // whole tiles holding all copies
  std::int64_t active_rows = 0;       // rows in use in the fullest array
  std::int64_t active_cols = 0;       // columns in use in the fullest array
  std::int64_t cells = 0;             // stored cells of one copy (with a packing's zeros)
  double utilisation = 0;             // weight cells / (arrays_per_copy * rows * cols)
  std::int64_t groups_per_array = 1;  // groups packed into one array (LayerShape)
};

// Cycles of the chip clock (docs/cost-model.md, "Time").
struct Timing {
  std::int64_t phases = 0;             // ceil(activation_bits / dac_bits)
  std::int64_t row_groups = 0;         // ceil(active_rows / parallel_rows)
  std::int64_t column_rounds = 0;      // ceil(active_cols / adcs_per_array)
  std::int64_t read_cycles = 0;        // drive + settle of one row group
  std::int64_t conversion_cycles = 0;  // one readout conversion
  std::int64_t mvm_cycles = 0;         // all phases, row groups and conversions of one vector
  std::int64_t load_cycles = 0;        // input buffer -> array input register
  std::int64_t reduce_cycles = 0;      // partial sums of the row blocks, per vector
  std::int64_t psum_noc_cycles = 0;    // partial sums that cross tiles, per vector
  std::int64_t output_cycles = 0;      // output vector -> NoC flits
  std::int64_t interval_cycles = 0;    // initiation interval: the slowest stage
  std::int64_t hops = 0;               // NoC hops from the layer to its consumer
  std::int64_t depth_cycles = 0;       // one vector through every stage (>= load + mvm + 4)
  std::int64_t vectors_per_copy = 0;   // ceil(vectors / duplication)
  std::int64_t compute_cycles = 0;     // the layer alone: (n - 1) * interval + depth
  std::int64_t fill_cycles = 0;        // until the next layer may start (lead outputs out)
};

// Dynamic energy of one inference, in pJ.
struct Energy {
  double dac_pj = 0;
  double array_pj = 0;  // cell reads
  double readout_pj = 0;
  double shift_add_pj = 0;
  double accumulator_pj = 0;
  double buffer_pj = 0;
  double noc_pj = 0;
  double offchip_pj = 0;

  double total_pj() const {
    return dac_pj + array_pj + readout_pj + shift_add_pj + accumulator_pj + buffer_pj + noc_pj +
           offchip_pj;
  }
  Energy& operator+=(const Energy& other);
};

// Bringing the layer's weights on chip: off-chip transfer and array writes, overlapped.
struct Reload {
  std::int64_t transfer_cycles = 0;
  std::int64_t write_cycles = 0;
  std::int64_t cycles = 0;
  double energy_pj = 0;
};

struct LayerCost {
  const char* infeasible = nullptr;  // why the configuration cannot hold the layer, or null
  Mapping mapping;
  Timing timing;
  AreaBreakdown area;            // whole tiles
  Energy energy;                 // per inference
  double leakage_mw = 0;         // of the layer's tiles
  std::int64_t weight_bits = 0;  // weights * weight_bits
  std::int64_t reload_bits = 0;  // the off-chip image of one copy's arrays (image_bits)
  std::int64_t stored_bits = 0;  // cells * bits_per_cell * duplication
  Reload reload;

  bool feasible() const { return infeasible == nullptr; }
};

// Bits of the off-chip weight image that programs one copy's arrays, as compile/ lays it out
// (docs/isa.md, "Off-chip weight image"), for the shape as mapped (packed groups as one): per array
// a two-word header, then its active rows x active columns x bits_per_cell cells as a dense stream
// padded to whole 64-bit words.
std::int64_t image_bits(const LayerShape& shape, const Mapping& mapping, int bits_per_cell);

// Columns of one weight, as quant::weight_slices cuts it: ceil(W_b / b_c) unsigned slices,
// or for two's complement weights ceil((W_b - 1) / b_c) magnitude slices and a sign column.
std::int64_t slices_per_weight(const hw::Arithmetic& arithmetic, const hw::TileType& tile);

// How many groups of `shape` fit one array together (1 for an ungrouped layer, or a group
// that needs more than one array): their rows and their output channels' slice columns.
std::int64_t pack_limit(const LayerShape& shape, std::int64_t slices, const TileConfig& config);

// The cheap pre-check: null when `config` can hold `shape` with `duplication` copies, else why.
const char* infeasible_reason(const LayerShape& shape, const hw::Library& library,
                              const TileConfig& config, int duplication);

// The full evaluation. For an infeasible configuration only `infeasible` is set.
LayerCost evaluate_layer(const LayerShape& shape, const hw::Library& library,
                         const TileConfig& config, int duplication = 1);

}  // namespace pimhls::cost
