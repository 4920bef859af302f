#pragma once
// Synthetic optimization problems for the opt tests: a made-up cost model that is simple
// enough to reason about by hand, on networks from opt/network_shapes.h or built by hand.
//   technology "dense": tiles hold many weights, slow; "fast": tiles hold few weights, fast.
//   Each option scales capacity, speed and tile area.
#include <algorithm>
#include <string>
#include <vector>

#include "opt/problem.h"

namespace pimhls::opt::testing {

struct SyntheticOption {
  int technology;
  std::int64_t weights_per_tile;
  std::int64_t cycles_per_row_block;  // per 64 rows of the weight matrix
  double tile_area_um2;
};

inline UnitCost synthetic_unit_cost(const cost::LayerShape& shape, const SyntheticOption& option) {
  UnitCost cost;
  cost.tiles = (shape.weights() + option.weights_per_tile - 1) / option.weights_per_tile;
  cost.vectors = shape.vectors;
  cost.lead_vectors = std::clamp<std::int64_t>(shape.lead_vectors, 1, shape.vectors);
  cost.interval_cycles = ((shape.rows() + 63) / 64) * option.cycles_per_row_block;
  cost.depth_cycles = cost.interval_cycles + 3;
  cost.write_cycles = std::min<std::int64_t>(shape.rows(), 256) * 2;
  cost.row_write_cycles = 2;
  cost.reload_bits = shape.weights() * 8;
  cost.compute_energy_pj = static_cast<double>(shape.macs()) * 0.01;
  cost.write_energy_pj = static_cast<double>(shape.weights()) * 0.1;
  return cost;
}

// Options: dense baseline, dense fast (more readout: 2x speed, 1.4x area), dense small arrays;
// fast baseline, fast with fewer readout units (half speed, 0.7x area).
inline std::vector<SyntheticOption> synthetic_options() {
  return {{0, 4096, 16, 1000},
          {0, 4096, 8, 1400},
          {0, 2048, 8, 800},
          {1, 1024, 2, 1000},
          {1, 1024, 4, 700}};
}

inline Problem synthetic_problem(Network network, std::vector<int> technologies = {0, 1}) {
  Problem problem;
  problem.network = std::move(network);
  const std::vector<SyntheticOption> all = synthetic_options();
  std::vector<SyntheticOption> chosen;
  const char* names[] = {"dense", "fast"};
  for (int tech : technologies) {
    Technology t;
    t.name = names[tech];
    for (const SyntheticOption& option : all) {
      if (option.technology != tech) continue;
      const int index = static_cast<int>(chosen.size());
      if (t.options.empty()) t.baseline_option = index;
      t.options.push_back(index);
      SyntheticOption copy = option;
      copy.technology = problem.technology_count();
      chosen.push_back(copy);
      problem.options.push_back({copy.technology,
                                 std::string(names[tech]) + "/" + std::to_string(t.options.size()),
                                 64, 8, option.tile_area_um2});
      problem.tile_leakage_mw.push_back(0.01);
      problem.tile_area_parts_um2.push_back({{"cells", option.tile_area_um2}});
    }
    problem.technologies.push_back(t);
  }
  problem.chip.global_buffer_um2 = 300;
  problem.chip.controller_um2 = 200;
  problem.chip.buffer_bits = 64 * 1024;
  problem.chip.offchip_bits_per_cycle = 256;
  problem.chip.offchip_energy_pj_per_bit = 20;
  problem.chip.clock_ghz = 1;
  problem.unit_cost = [chosen](const cost::LayerShape& shape, int option) {
    return synthetic_unit_cost(shape, chosen[static_cast<std::size_t>(option)]);
  };
  tabulate_layer_costs(problem);
  return problem;
}

// A layer of a hand-built network: a 3x3 convolution (or a Gemm when kernel is 1 and size 1).
inline Layer layer(std::string name, std::int64_t in_channels, std::int64_t kernel_area,
                   std::int64_t out_channels, std::int64_t vectors) {
  Layer l;
  l.name = std::move(name);
  l.shape.in_channels = in_channels;
  l.shape.kernel_area = kernel_area;
  l.shape.out_channels = out_channels;
  l.shape.vectors = vectors;
  l.shape.lead_vectors = 1;
  l.weight_bits = l.shape.weights() * 8;
  l.macs = l.shape.macs();
  l.output_bits = vectors * out_channels * 8;
  return l;
}

}  // namespace pimhls::opt::testing
