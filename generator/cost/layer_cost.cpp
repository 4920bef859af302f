// The equations of the cost model. docs/cost-model.md explains each term and its source; the
// section names below are the document's.
#include "cost/layer_cost.h"

#include <algorithm>

#include "cost/cycles.h"

namespace pimhls::cost {

Energy& Energy::operator+=(const Energy& other) {
  dac_pj += other.dac_pj;
  array_pj += other.array_pj;
  readout_pj += other.readout_pj;
  shift_add_pj += other.shift_add_pj;
  accumulator_pj += other.accumulator_pj;
  buffer_pj += other.buffer_pj;
  noc_pj += other.noc_pj;
  offchip_pj += other.offchip_pj;
  return *this;
}

const char* infeasible_reason(const LayerShape& shape, const hw::Library& library,
                              const TileConfig& config, int duplication) {
  if (config.tile_type < 0 ||
      static_cast<std::size_t>(config.tile_type) >= library.tile_types.size())
    return "no such tile type";
  if (config.array_rows <= 0 || config.array_cols <= 0) return "array size must be positive";
  if (config.adcs_per_array <= 0 || config.adcs_per_array > config.array_cols)
    return "readout units per array must be between 1 and the number of columns";
  if (duplication < 1) return "duplication must be at least 1";
  if (shape.in_channels <= 0 || shape.kernel_area <= 0 || shape.out_channels <= 0 ||
      shape.groups <= 0 || shape.vectors <= 0 || shape.out_channels % shape.groups != 0)
    return "the layer shape is empty or its groups do not divide its output channels";
  const hw::TileType& tile = library.tile_types[static_cast<std::size_t>(config.tile_type)];
  const std::int64_t slices = slices_per_weight(library.arithmetic, tile);
  if (slices > config.array_cols) return "a weight's bit slices do not fit the array's columns";
  const std::int64_t packed = shape.groups_per_array;
  if (packed < 0 || (packed > 0 && shape.groups % packed != 0))
    return "groups_per_array must divide the layer's groups";
  if (packed > 1 && packed > pack_limit(shape, slices, config))
    return "the packed groups do not fit one array";
  return nullptr;
}

std::int64_t slices_per_weight(const hw::Arithmetic& arithmetic, const hw::TileType& tile) {
  if (tile.weight_encoding == hw::WeightEncoding::TwosComplement)
    return ceil_div(arithmetic.weight_bits - 1, tile.bits_per_cell) + 1;
  return ceil_div(arithmetic.weight_bits, tile.bits_per_cell);
}

std::int64_t pack_limit(const LayerShape& shape, std::int64_t slices, const TileConfig& config) {
  const std::int64_t rows = shape.rows(), channels = shape.out_channels / shape.groups;
  const std::int64_t weights_per_array = config.array_cols / slices;
  if (shape.groups == 1 || rows > config.array_rows || channels > weights_per_array) return 1;
  return std::min(config.array_rows / rows, weights_per_array / channels);
}

namespace {

// The groups per array evaluate_layer maps with: the pinned count, or the largest divisor of
// the groups that fits (consecutive groups pack, so every array holds as many).
std::int64_t resolve_packing(const LayerShape& shape, std::int64_t slices,
                             const TileConfig& config) {
  if (shape.groups_per_array > 0) return shape.groups_per_array;
  for (std::int64_t p = std::min(pack_limit(shape, slices, config), shape.groups); p > 1; --p)
    if (shape.groups % p == 0) return p;
  return 1;
}

// P packed groups map as one group of P times the input channels: its weight matrix is
// block-diagonal, zeros between the groups (the rows of group j are j*Cin*k2 .. (j+1)*Cin*k2).
LayerShape packed_shape(LayerShape shape, std::int64_t groups_per_array) {
  shape.in_channels *= groups_per_array;
  shape.groups /= groups_per_array;
  shape.groups_per_array = 1;
  return shape;
}

// Mapping: MNSIM-2.0's crossbar mapping (reference/numbers.md section 4): whole kernels per row
// block, a weight's bit slices in adjacent columns.
Mapping map_layer(const LayerShape& shape, const hw::TileType& tile, const hw::Arithmetic& arith,
                  const TileConfig& config, int duplication) {
  const std::int64_t rows = config.array_rows, cols = config.array_cols;
  const std::int64_t groups = shape.groups;
  const std::int64_t rows_per_group = shape.rows();
  const std::int64_t cols_per_group = shape.out_channels / groups;
  Mapping m;
  m.slices = slices_per_weight(arith, tile);
  m.weights_per_array = cols / m.slices;
  if (shape.kernel_area <= rows) {
    m.channels_per_block = std::min(rows / shape.kernel_area, shape.in_channels);
    m.rows_per_block = m.channels_per_block * shape.kernel_area;
    m.row_blocks = ceil_div(shape.in_channels, m.channels_per_block);
  } else {  // a kernel larger than the array is split across row blocks
    m.channels_per_block = 0;
    m.rows_per_block = rows;
    m.row_blocks = ceil_div(rows_per_group, rows);
  }
  m.col_blocks = ceil_div(cols_per_group, m.weights_per_array);
  m.arrays_per_copy = groups * m.row_blocks * m.col_blocks;
  m.active_rows = m.row_blocks == 1 ? rows_per_group : m.rows_per_block;
  m.active_cols = std::min(cols_per_group, m.weights_per_array) * m.slices;
  m.arrays = m.arrays_per_copy * duplication;
  m.tiles_per_copy = ceil_div(m.arrays_per_copy, tile.arrays_per_tile);
  m.tiles = ceil_div(m.arrays, tile.arrays_per_tile);
  m.cells = rows_per_group * shape.out_channels * m.slices;
  m.utilisation =
      static_cast<double>(m.cells) / static_cast<double>(m.arrays_per_copy * rows * cols);
  return m;
}

// Time: the per-vector pipeline of docs/cost-model.md, in whole cycles.
Timing time_layer(const LayerShape& shape, const hw::Library& library, const hw::TileType& tile,
                  const TileConfig& config, const Mapping& m, int duplication) {
  const hw::Arithmetic& arith = library.arithmetic;
  const hw::Chip& chip = library.chip;
  const std::int64_t row_blocks = m.row_blocks;
  const std::int64_t parallel_rows = std::min(tile.parallel_rows, config.array_rows);
  Timing t;
  // MVM: phases x row groups x (drive/read + column rounds x conversion); MNSIM-2.0's
  // N = ceil(in_bits / DAC_bits) * ceil(rows / parallel_rows) * ceil(cols / ADCs) steps,
  // with the row group's column values held while the ADCs go round.
  // Two's-complement inputs drive their sign bit in a phase of its own (quant::input_chunks):
  // ceil((A_b - 1) / b_dac) + 1 phases. Counted for every layer (whether its inputs turn out
  // signed is known only after calibration): an unsigned layer has at most one idle phase.
  t.phases = arith.activation_encoding == hw::ActivationEncoding::TwosComplement
                 ? ceil_div(arith.activation_bits - 1, tile.dac.bits) + 1
                 : ceil_div(arith.activation_bits, tile.dac.bits);
  t.row_groups = ceil_div(m.active_rows, parallel_rows);
  t.column_rounds = ceil_div(m.active_cols, config.adcs_per_array);
  t.read_cycles = ns_to_cycles(tile.dac.latency_ns + tile.read_latency_ns, chip.clock_ghz);
  t.conversion_cycles = ns_to_cycles(tile.readout.latency_ns, chip.clock_ghz);
  t.mvm_cycles = t.phases * t.row_groups * (t.read_cycles + t.column_rounds * t.conversion_cycles);
  // The other stages of the per-vector pipeline.
  t.load_cycles = ceil_div(m.active_rows * arith.activation_bits, tile.input_bus_bits);
  if (row_blocks > 1) {
    const std::int64_t additions = (row_blocks - 1) * shape.out_channels;
    t.reduce_cycles = ceil_div(additions, m.tiles_per_copy * tile.accumulator_lanes);
    if (m.tiles_per_copy > 1)
      t.psum_noc_cycles =
          ceil_div(additions * arith.accumulator_bits, m.tiles_per_copy * chip.noc.flit_bits);
  }
  t.output_cycles = ceil_div(shape.out_channels * arith.activation_bits, chip.noc.flit_bits);
  t.interval_cycles =
      std::max({t.mvm_cycles, t.load_cycles, t.reduce_cycles, t.psum_noc_cycles, t.output_cycles});
  t.hops = ceil_sqrt(m.tiles);
  const std::int64_t reduce_tree_cycles =
      row_blocks > 1 ? ceil_log2(row_blocks) * tile.accumulator_cycles : 0;
  // The datapath registers the last conversion, accumulates, drains and writes: at least
  // kMinWriteCycles after the MVM (rtl/engine_weight.sv), whatever the library's stages add.
  t.depth_cycles = std::max(t.load_cycles + t.mvm_cycles + kMinWriteCycles,
                            t.load_cycles + t.mvm_cycles + tile.shift_add_cycles + t.reduce_cycles +
                                reduce_tree_cycles + t.psum_noc_cycles + t.output_cycles +
                                t.hops * chip.noc.hop_latency_cycles);
  // A layer = output pixels x vector time / duplication (PIM-HLS, MNSIM): copies share the
  // vectors, each copy streams its share at one vector per interval.
  t.vectors_per_copy = ceil_div(shape.vectors, duplication);
  const std::int64_t lead_per_copy =
      std::clamp<std::int64_t>(ceil_div(shape.lead_vectors, duplication), 1, t.vectors_per_copy);
  t.compute_cycles = (t.vectors_per_copy - 1) * t.interval_cycles + t.depth_cycles;
  t.fill_cycles = (lead_per_copy - 1) * t.interval_cycles + t.depth_cycles;
  return t;
}

// Sum over the arrays of one copy of (row groups x columns in use): the conversions of one
// vector per phase. Row blocks differ only in their last member.
std::int64_t conversions_per_phase(const LayerShape& shape, const hw::TileType& tile,
                                   const TileConfig& config, const Mapping& m) {
  const std::int64_t parallel_rows = std::min(tile.parallel_rows, config.array_rows);
  const std::int64_t last_rows = shape.rows() - (m.row_blocks - 1) * m.rows_per_block;
  const std::int64_t row_groups = (m.row_blocks - 1) * ceil_div(m.rows_per_block, parallel_rows) +
                                  ceil_div(last_rows, parallel_rows);
  return row_groups * shape.out_channels * m.slices;
}

// Energy: dynamic energy of one inference by component (docs/cost-model.md, "Energy").
Energy energy_of_layer(const LayerShape& shape, const hw::Library& library,
                       const hw::TileType& tile, const TileConfig& config, const Mapping& m,
                       const Timing& t) {
  const hw::Arithmetic& arith = library.arithmetic;
  const hw::Chip& chip = library.chip;
  const double vectors = static_cast<double>(shape.vectors);
  const double phases = static_cast<double>(t.phases);
  const std::int64_t row_blocks = m.row_blocks;
  // Every row of every array is driven once per phase.
  const double row_drives =
      phases * static_cast<double>(shape.rows() * shape.groups * m.col_blocks);
  const double conversions =
      phases * static_cast<double>(conversions_per_phase(shape, tile, config, m));
  const double additions = static_cast<double>((row_blocks - 1) * shape.out_channels);
  // Inputs are read once per row block (broadcast to its column blocks); outputs written once.
  const double buffer_bits = static_cast<double>(
      (shape.rows() * shape.groups + shape.out_channels) * arith.activation_bits);
  double noc_bits = static_cast<double>(shape.out_channels * arith.activation_bits * t.hops);
  if (m.tiles_per_copy > 1) noc_bits += additions * arith.accumulator_bits;

  Energy e;
  e.dac_pj = vectors * row_drives * tile.dac.energy_pj;
  e.array_pj = vectors * phases * static_cast<double>(m.cells) * tile.read_energy_pj_per_cell;
  e.readout_pj = vectors * conversions * tile.readout.energy_pj;
  e.shift_add_pj = vectors * conversions * tile.shift_add_energy_pj;
  e.accumulator_pj = vectors * additions * tile.accumulator_energy_pj_per_add;
  e.buffer_pj = vectors * buffer_bits * chip.buffer.energy_pj_per_bit;
  e.noc_pj = vectors * noc_bits / chip.noc.flit_bits * chip.noc.router_energy_pj_per_flit;
  return e;
}

}  // namespace

std::int64_t image_bits(const LayerShape& shape, const Mapping& m, int bits_per_cell) {
  constexpr std::int64_t kWordBits = 64, kHeaderBits = 2 * kWordBits;
  const auto segment_bits = [&](std::int64_t rows, std::int64_t channels) {
    return kHeaderBits +
           ceil_div(rows * channels * m.slices * bits_per_cell, kWordBits) * kWordBits;
  };
  // Every group has the same blocks; full blocks, then the last row and column block.
  const std::int64_t last_rows = shape.rows() - (m.row_blocks - 1) * m.rows_per_block;
  const std::int64_t cols_per_group = shape.out_channels / shape.groups;
  const std::int64_t last_channels = cols_per_group - (m.col_blocks - 1) * m.weights_per_array;
  const std::int64_t per_group =
      (m.row_blocks - 1) *
          ((m.col_blocks - 1) * segment_bits(m.rows_per_block, m.weights_per_array) +
           segment_bits(m.rows_per_block, last_channels)) +
      (m.col_blocks - 1) * segment_bits(last_rows, m.weights_per_array) +
      segment_bits(last_rows, last_channels);
  return shape.groups * per_group;
}

namespace {

// Weight reload: the off-chip stream and the array writes overlap; arrays write their rows in
// parallel, so the fullest array's rows set the write time.
Reload reload_layer(const LayerCost& cost, const hw::Library& library, const hw::TileType& tile,
                    int duplication) {
  const hw::Chip& chip = library.chip;
  const auto bits_per_cycle = static_cast<double>(chip.offchip_bits_per_cycle());
  const std::int64_t row_write_cycles = ns_to_cycles(tile.write_latency_ns_per_row, chip.clock_ghz);
  Reload r;
  r.transfer_cycles = static_cast<std::int64_t>(
      std::ceil(static_cast<double>(cost.reload_bits) / bits_per_cycle - 1e-9));
  r.write_cycles = cost.mapping.active_rows * row_write_cycles;
  r.cycles = std::max(r.transfer_cycles, r.write_cycles) + row_write_cycles;
  r.energy_pj =
      static_cast<double>(cost.reload_bits) * chip.offchip_energy_pj_per_bit +
      static_cast<double>(cost.mapping.cells * duplication) * tile.write_energy_pj_per_cell;
  return r;
}

}  // namespace

LayerCost evaluate_layer(const LayerShape& shape, const hw::Library& library,
                         const TileConfig& config, int duplication) {
  LayerCost cost;
  cost.infeasible = infeasible_reason(shape, library, config, duplication);
  if (cost.infeasible) return cost;
  const hw::TileType& tile = library.tile_types[static_cast<std::size_t>(config.tile_type)];
  const std::int64_t packing =
      resolve_packing(shape, slices_per_weight(library.arithmetic, tile), config);
  const LayerShape mapped = packed_shape(shape, packing);
  cost.mapping = map_layer(mapped, tile, library.arithmetic, config, duplication);
  cost.mapping.groups_per_array = packing;
  cost.mapping.utilisation /= static_cast<double>(packing);  // the zeros are not weights
  cost.timing = time_layer(mapped, library, tile, config, cost.mapping, duplication);
  cost.energy = energy_of_layer(mapped, library, tile, config, cost.mapping, cost.timing);
  const AreaBreakdown one_tile = tile_area(library, config);
  const double tiles = static_cast<double>(cost.mapping.tiles);
  cost.area = one_tile.scaled(tiles);
  cost.leakage_mw = tiles * one_tile.total_um2() * 1e-6 * tile.leakage_mw_per_mm2;
  cost.weight_bits = shape.weights() * library.arithmetic.weight_bits;
  cost.reload_bits = image_bits(mapped, cost.mapping, tile.bits_per_cell);
  cost.stored_bits = cost.mapping.cells * tile.bits_per_cell * duplication;
  cost.reload = reload_layer(cost, library, tile, duplication);
  return cost;
}

}  // namespace pimhls::cost
