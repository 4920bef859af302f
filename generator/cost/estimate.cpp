#include "cost/estimate.h"

#include "cost/pipeline.h"
#include "cost/stream_timing.h"
#include "util/error.h"

namespace pimhls::cost {

namespace {

// One inference through the network as one resident group, every layer one copy.
std::int64_t streamed_latency(const StreamGraph& streams, const std::vector<LayerCost>& layers) {
  std::vector<std::vector<CopyClass>> classes(streams.nodes.size());
  std::vector<std::vector<StageInput>> inputs(streams.nodes.size());
  std::vector<Stage> stages;
  for (std::size_t n = 0; n < streams.nodes.size(); ++n) {
    const StreamNode& node = streams.nodes[n];
    if (node.layer >= 0) {
      const Timing& t = layers.at(static_cast<std::size_t>(node.layer)).timing;
      classes[n] = {{1, t.interval_cycles, t.depth_cycles, {}}};
    }
    for (const StreamEdge& edge : node.inputs) inputs[n].push_back({edge.producer, &edge});
    stages.push_back({node.height, node.width, classes[n], inputs[n]});
  }
  return kInferenceControlCycles + stream_timing(stages).span;
}

}  // namespace

DesignEstimate estimate_homogeneous(const std::vector<LayerShape>& shapes,
                                    const std::vector<std::string>& layer_names,
                                    const hw::Library& library, const TileConfig& config,
                                    const StreamGraph* streams, std::int64_t samples) {
  DesignEstimate design;
  design.samples = samples;
  design.config = config;
  design.layers.reserve(shapes.size());
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    LayerCost layer = evaluate_layer(shapes[i], library, config, 1);
    if (!layer.feasible())
      fail("{}: cannot map onto {}: {}", i < layer_names.size() ? layer_names[i] : "layer",
           describe(library, config), layer.infeasible);
    design.tiles += layer.mapping.tiles;
    design.tiles_area += layer.area;
    design.dynamic_energy += layer.energy;
    design.leakage_mw += layer.leakage_mw;
    design.macs += shapes[i].macs();
    design.weight_bits += layer.weight_bits;
    design.load_cycles += layer.reload.cycles;
    design.load_energy_pj += layer.reload.energy_pj;
    design.layers.push_back(layer);
    if (layer.timing.compute_cycles > design.layers[design.bottleneck_layer].timing.compute_cycles)
      design.bottleneck_layer = i;
  }
  design.fixed_area = chip_fixed_area(library);
  design.area_um2 = design.tiles_area.total_um2() + design.fixed_area.total_um2();
  design.leakage_mw += design.fixed_area.total_um2() * 1e-6 * library.chip.leakage_mw_per_mm2;
  design.latency_cycles =
      streams ? streamed_latency(*streams, design.layers) : group_latency_cycles(design.layers);
  const double latency_ns = static_cast<double>(design.latency_cycles) / library.chip.clock_ghz;
  design.latency_us = latency_ns * 1e-3;
  design.leakage_energy_pj = design.leakage_mw * latency_ns;  // mW x ns = pJ
  design.energy_pj = design.dynamic_energy.total_pj() + design.leakage_energy_pj;
  const double ops = 2.0 * static_cast<double>(design.macs);
  if (latency_ns > 0) {
    design.tops = ops / latency_ns * 1e-3;  // ops per ns = 1e9 ops/s
    design.frames_per_second = static_cast<double>(samples) * 1e9 / latency_ns;
  }
  if (design.energy_pj > 0) design.tops_per_watt = ops / design.energy_pj;  // ops/pJ = TOPS/W
  return design;
}

}  // namespace pimhls::cost

namespace pimhls::cost {

ConfigSummary summarize_config(const hw::Library& library, const TileConfig& config) {
  const hw::TileType& tile = library.tile_types.at(static_cast<std::size_t>(config.tile_type));
  ConfigSummary summary;
  summary.config = config;
  summary.tile_area = tile_area(library, config);
  const AreaBreakdown& area = summary.tile_area;
  summary.array_area_um2 =
      (area.cells_um2 + area.readout_um2 + area.dac_um2 + area.drivers_um2 + area.shift_add_um2) /
      tile.arrays_per_tile;
  const std::int64_t slices = slices_per_weight(library.arithmetic, tile);
  const std::int64_t weights_per_array =
      static_cast<std::int64_t>(config.array_rows) * (config.array_cols / slices);
  summary.weights_per_tile = weights_per_array * tile.arrays_per_tile;
  const double bits_per_array =
      static_cast<double>(weights_per_array * library.arithmetic.weight_bits);
  // bits per um2 = Mb per mm2 (10^6 bits per 10^6 um2)
  summary.array_density_mb_per_mm2 = bits_per_array / summary.array_area_um2;
  summary.tile_density_mb_per_mm2 = bits_per_array * tile.arrays_per_tile / area.total_um2();
  // One fully used array: every row, every weight column.
  LayerShape full;
  full.in_channels = config.array_rows;
  full.out_channels = config.array_cols / slices;
  full.vectors = 1;
  full.lead_vectors = 1;
  const LayerCost cost = evaluate_layer(full, library, config, 1);
  if (cost.feasible() && cost.timing.mvm_cycles > 0) {
    summary.mvm_cycles = cost.timing.mvm_cycles;
    const double macs_per_cycle = static_cast<double>(weights_per_array * tile.arrays_per_tile) /
                                  static_cast<double>(cost.timing.mvm_cycles);
    summary.macs_per_ns_per_mm2 =
        macs_per_cycle * library.chip.clock_ghz / (area.total_um2() * 1e-6);
  }
  return summary;
}

}  // namespace pimhls::cost
