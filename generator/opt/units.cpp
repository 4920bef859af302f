#include "opt/units.h"

#include <algorithm>

#include "opt/unit_flow.h"

namespace pimhls::opt {
namespace {

// [begin, end) of part `index` when `total` items are cut into `parts` near-equal parts.
std::pair<std::int64_t, std::int64_t> part(std::int64_t total, int parts, int index) {
  return {total * index / parts, total * (index + 1) / parts};
}

// What column pieces are cut into: output channels, or whole packs of groups (a pack shares
// one array, cost::LayerShape::groups_per_array).
std::int64_t column_units(const cost::LayerShape& shape, std::int64_t groups_per_array) {
  return shape.groups > 1 ? shape.groups / groups_per_array : shape.out_channels;
}

bool all_fit(const std::vector<UnitCost>& costs, std::int64_t tiles) {
  return std::all_of(costs.begin(), costs.end(),
                     [&](const UnitCost& c) { return c.feasible && c.tiles <= tiles; });
}

}  // namespace

std::int64_t groups_per_array(const Problem& problem, const Unit& unit, int option) {
  if (unit.shape.groups_per_array > 0) return unit.shape.groups_per_array;
  return problem.layer_cost(unit.layer, option).groups_per_array;
}

std::vector<Unit> split_layer(const Problem& problem, int layer, int column_pieces, int row_pieces,
                              std::int64_t groups_per_array) {
  cost::LayerShape shape = problem.network.layers[static_cast<std::size_t>(layer)].shape;
  shape.groups_per_array = groups_per_array;
  const std::int64_t out_per_group = shape.out_channels / shape.groups;
  std::vector<Unit> units;
  for (int c = 0; c < column_pieces; ++c) {
    auto [col_begin, col_end] = part(column_units(shape, groups_per_array), column_pieces, c);
    if (shape.groups > 1) {
      col_begin *= groups_per_array;
      col_end *= groups_per_array;
    }
    for (int r = 0; r < row_pieces; ++r) {
      const auto [row_begin, row_end] = part(shape.in_channels, row_pieces, r);
      Unit unit;
      unit.layer = layer;
      unit.column_piece = c;
      unit.column_pieces = column_pieces;
      unit.row_piece = r;
      unit.row_pieces = row_pieces;
      unit.shape = shape;
      unit.shape.in_channels = row_end - row_begin;
      unit.in_channel_offset = row_begin;
      if (shape.groups > 1) {
        unit.shape.groups = col_end - col_begin;
        unit.shape.out_channels = unit.shape.groups * out_per_group;
        unit.out_channel_offset = col_begin * out_per_group;
      } else {
        unit.shape.out_channels = col_end - col_begin;
        unit.out_channel_offset = col_begin;
      }
      units.push_back(unit);
    }
  }
  return units;
}

std::optional<UnitPlan> plan_units(const Problem& problem, const std::vector<int>& layer_technology,
                                   const std::vector<int>& option,
                                   const std::vector<std::int64_t>& tiles) {
  const Network& network = problem.network;
  UnitPlan plan;
  ScheduleInput& input = plan.input;
  input.tiles_per_technology = tiles;
  input.buffer_bits = problem.chip.buffer_bits;
  input.offchip_bits_per_cycle = problem.chip.offchip_bits_per_cycle;
  std::vector<std::int64_t> internal_bits;  // live bits after each unit inside its layer
  for (int layer = 0; layer < network.size(); ++layer) {
    const int tech = layer_technology[static_cast<std::size_t>(layer)];
    const int opt = option[static_cast<std::size_t>(tech)];
    const std::int64_t available = tiles[static_cast<std::size_t>(tech)];
    if (available <= 0) return std::nullopt;
    const UnitCost& whole = problem.layer_cost(layer, opt);
    // Pieces pack groups as the whole layer does on this option, pinned, so that a pack never
    // straddles two pieces and every piece packs alike whatever option it ends up on. A whole
    // layer keeps packing as many as fit each option (problem.layer_cost).
    const std::int64_t packing = whole.feasible ? whole.groups_per_array : 1;
    std::vector<Unit> pieces;
    std::vector<UnitCost> costs;
    if (whole.feasible && whole.tiles <= available) {
      Unit unit;
      unit.layer = layer;
      unit.shape = network.layers[static_cast<std::size_t>(layer)].shape;
      pieces = {unit};
      costs = {whole};
    } else {
      // Alg. 1 line 4: Split(L_i, ceil(Area(L_i) / A)), then more pieces until each fits. A
      // pack fits one array, so packed layers are cut by columns only.
      const cost::LayerShape& shape = network.layers[static_cast<std::size_t>(layer)].shape;
      const std::int64_t max_columns = column_units(shape, packing);
      const std::int64_t max_rows = packing > 1 ? 1 : shape.in_channels;
      std::int64_t count = whole.feasible ? (whole.tiles + available - 1) / available : 2;
      for (;;) {
        const std::int64_t columns = std::min(count, max_columns);
        const std::int64_t rows = std::min((count + columns - 1) / columns, max_rows);
        pieces =
            split_layer(problem, layer, static_cast<int>(columns), static_cast<int>(rows), packing);
        costs.clear();
        for (const Unit& unit : pieces) costs.push_back(problem.unit_cost(unit.shape, opt));
        if (all_fit(costs, available)) break;
        if (columns == max_columns && rows == max_rows) return std::nullopt;
        count += std::max<std::int64_t>(1, count / 4);
      }
    }
    plan.layer_first_unit.push_back(input.size());
    const std::int64_t output_bits = network.layers[static_cast<std::size_t>(layer)].output_bits;
    const std::int64_t out_channels =
        network.layers[static_cast<std::size_t>(layer)].shape.out_channels;
    std::int64_t done_bits = 0;  // outputs of finished column pieces
    for (std::size_t p = 0; p < pieces.size(); ++p) {
      const Unit& unit = pieces[p];
      const std::int64_t piece_bits = output_bits * unit.shape.out_channels / out_channels;
      const bool column_done = unit.row_piece == unit.row_pieces - 1;
      if (column_done) done_bits += piece_bits;
      // Partial sums of an unfinished column piece wait at accumulator precision.
      const std::int64_t partial_sums =
          column_done ? 0 : unit.shape.vectors * unit.shape.out_channels * problem.accumulator_bits;
      internal_bits.push_back(p + 1 < pieces.size() ? done_bits + partial_sums : 0);
      plan.units.push_back(unit);
      input.units.push_back(costs[p]);
      input.unit_technology.push_back(tech);
    }
    plan.layer_last_unit.push_back(input.size() - 1);
  }
  // Activations between layers: live from the producer's last unit to the reader's last unit.
  const int units = input.size();
  std::vector<std::int64_t> delta(static_cast<std::size_t>(units) + 1, 0);
  for (const LiveTensor& tensor : network.tensors) {
    delta[static_cast<std::size_t>(plan.layer_last_unit[tensor.producer_layer])] += tensor.bits;
    delta[static_cast<std::size_t>(plan.layer_last_unit[tensor.last_reader_layer])] -= tensor.bits;
  }
  std::int64_t running = 0;
  for (int cut = 0; cut + 1 < units; ++cut) {
    running += delta[static_cast<std::size_t>(cut)];
    input.live_bits_at_cut.push_back(running + internal_bits[static_cast<std::size_t>(cut)]);
  }
  input.flow = std::make_shared<const UnitFlow>(unit_flow(network, plan.units));
  input.reload_control_cycles = problem.chip.reload_control_cycles;
  input.inference_control_cycles = problem.chip.inference_control_cycles;
  return plan;
}

}  // namespace pimhls::opt
