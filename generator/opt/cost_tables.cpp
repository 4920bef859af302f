#include "opt/cost_tables.h"

#include <algorithm>
#include <memory>

#include "cost/cycles.h"
#include "cost/layer_cost.h"
#include "cost/stream_timing.h"
#include "cost/tile_config.h"
#include "util/error.h"

namespace pimhls::opt {
namespace {

UnitCost unit_cost_of(const cost::LayerShape& shape, const hw::Library& library,
                      const cost::TileConfig& config) {
  const cost::LayerCost layer = cost::evaluate_layer(shape, library, config, 1);
  UnitCost unit;
  unit.feasible = layer.feasible();
  if (!unit.feasible) return unit;
  const hw::TileType& tile = library.tile_types[static_cast<std::size_t>(config.tile_type)];
  unit.tiles = layer.mapping.tiles_per_copy;
  unit.vectors = shape.vectors;
  unit.lead_vectors = std::clamp<std::int64_t>(shape.lead_vectors, 1, shape.vectors);
  unit.interval_cycles = layer.timing.interval_cycles;
  unit.depth_cycles = layer.timing.depth_cycles;
  unit.write_cycles = layer.reload.write_cycles;
  unit.row_write_cycles = cost::ns_to_cycles(tile.write_latency_ns_per_row, library.chip.clock_ghz);
  unit.reload_bits = layer.reload_bits;
  unit.compute_energy_pj = layer.energy.total_pj();
  unit.write_energy_pj = static_cast<double>(layer.mapping.cells) * tile.write_energy_pj_per_cell;
  unit.groups_per_array = layer.mapping.groups_per_array;
  return unit;
}

std::vector<std::pair<std::string, double>> area_parts(const cost::AreaBreakdown& area) {
  return {{"cells", area.cells_um2},
          {"readout", area.readout_um2},
          {"dac", area.dac_um2},
          {"drivers", area.drivers_um2},
          {"shift_add", area.shift_add_um2},
          {"accumulator", area.accumulator_um2},
          {"tile_buffers", area.buffers_um2},
          {"router", area.router_um2}};
}

}  // namespace

Problem make_problem(const ir::Graph& graph, const hw::Library& library,
                     const std::vector<std::string>& technologies) {
  return make_problem(
      network_from_graph(graph, library.arithmetic.weight_bits, library.arithmetic.activation_bits),
      library, technologies);
}

Problem make_problem(Network network, const hw::Library& library,
                     const std::vector<std::string>& technologies) {
  std::vector<int> tile_types;
  if (technologies.empty()) {
    for (std::size_t t = 0; t < library.tile_types.size(); ++t)
      tile_types.push_back(static_cast<int>(t));
  } else {
    for (const std::string& name : technologies) {
      const int type = library.tile_type_index(name);
      if (std::find(tile_types.begin(), tile_types.end(), type) != tile_types.end())
        fail("technology '{}' is given twice", name);
      tile_types.push_back(type);
    }
  }
  if (tile_types.empty()) fail("{}: the hardware library has no tile type", library.source);

  Problem problem;
  problem.network = std::move(network);
  problem.accumulator_bits = library.arithmetic.accumulator_bits;
  problem.twos_complement_activations =
      library.arithmetic.activation_encoding == hw::ActivationEncoding::TwosComplement;
  std::vector<cost::TileConfig> configs;
  const std::vector<cost::TileConfig> all = cost::tile_configs(library);
  for (int type : tile_types) {
    Technology tech;
    tech.name = library.tile_types[static_cast<std::size_t>(type)].name;
    tech.tile_type = type;
    const hw::TileType& tile = library.tile_types[static_cast<std::size_t>(type)];
    tech.arithmetic = {tile.bits_per_cell,
                       tile.dac.bits,
                       tile.parallel_rows,
                       tile.readout.bits,
                       tile.readout.kind == hw::ReadoutKind::Digital,
                       tile.weight_encoding == hw::WeightEncoding::TwosComplement};
    const cost::TileConfig baseline = cost::baseline_config(library, type);
    std::vector<cost::TileConfig> own;
    for (const cost::TileConfig& config : all)
      if (config.tile_type == type) own.push_back(config);
    if (std::find(own.begin(), own.end(), baseline) == own.end()) own.push_back(baseline);
    for (const cost::TileConfig& config : own) {
      const int index = static_cast<int>(problem.options.size());
      if (config == baseline) tech.baseline_option = index;
      tech.options.push_back(index);
      const cost::AreaBreakdown area = cost::tile_area(library, config);
      problem.options.push_back({problem.technology_count(), cost::describe(library, config),
                                 config.array_rows, config.adcs_per_array, area.total_um2()});
      problem.tile_area_parts_um2.push_back(area_parts(area));
      problem.tile_leakage_mw.push_back(cost::tile_leakage_mw(library, config));
      configs.push_back(config);
    }
    problem.technologies.push_back(tech);
  }

  const hw::Chip& chip = library.chip;
  const cost::ChipArea fixed = cost::chip_fixed_area(library);
  problem.chip.global_buffer_um2 = fixed.global_buffer_um2;
  problem.chip.controller_um2 = fixed.controller_um2;
  problem.chip.buffer_bits = static_cast<std::int64_t>(chip.global_buffer_kib * 1024 * 8);
  problem.chip.offchip_bits_per_cycle = static_cast<double>(chip.offchip_bits_per_cycle());
  problem.chip.offchip_energy_pj_per_bit = chip.offchip_energy_pj_per_bit;
  problem.chip.clock_ghz = chip.clock_ghz;
  problem.chip.reload_control_cycles = cost::kReloadControlCycles;
  problem.chip.inference_control_cycles = cost::kInferenceControlCycles;
  problem.chip.fixed_leakage_mw = fixed.total_um2() * 1e-6 * chip.leakage_mw_per_mm2;

  // The cost function owns a copy of the library: the problem may outlive the caller's.
  const auto shared = std::make_shared<const hw::Library>(library);
  const auto shared_configs = std::make_shared<const std::vector<cost::TileConfig>>(configs);
  problem.unit_cost = [shared, shared_configs](const cost::LayerShape& shape, int option) {
    return unit_cost_of(shape, *shared, (*shared_configs)[static_cast<std::size_t>(option)]);
  };
  tabulate_layer_costs(problem);
  return problem;
}

}  // namespace pimhls::opt
