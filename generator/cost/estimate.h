#pragma once
// A homogeneous design that keeps all weights on chip (the PIM-HLS paper's baselines): every
// weight layer on its own tiles of one configuration, no duplication, the whole network one
// pipelined layer group. `pimhls estimate` prints it.
#include <cstdint>
#include <vector>

#include "cost/layer_cost.h"
#include "cost/layer_shape.h"
#include "cost/stream_graph.h"
#include "cost/tile_config.h"
#include "hw/library.h"

namespace pimhls::cost {

struct DesignEstimate {
  TileConfig config;
  std::vector<LayerCost> layers;  // in the order of the shapes
  std::int64_t tiles = 0;
  AreaBreakdown tiles_area;         // all tiles
  ChipArea fixed_area;              // global buffer, controller
  double area_um2 = 0;              // tiles + fixed
  std::int64_t latency_cycles = 0;  // one inference through the pipelined group
  double latency_us = 0;
  std::size_t bottleneck_layer = 0;  // largest compute_cycles
  Energy dynamic_energy;             // one inference
  double leakage_mw = 0;             // whole chip
  double leakage_energy_pj = 0;      // over the latency
  double energy_pj = 0;              // dynamic + leakage
  std::int64_t macs = 0;             // all samples
  std::int64_t samples = 1;          // the batch one run of the latency infers (the input's N)
  double tops = 0;                   // 2 ops per MAC
  double tops_per_watt = 0;
  double frames_per_second = 0;
  std::int64_t weight_bits = 0;
  std::int64_t load_cycles = 0;  // one-time weight load, layer after layer
  double load_energy_pj = 0;
};

// What one tile configuration offers, for `pimhls hw` and for sanity checks of a library.
struct ConfigSummary {
  TileConfig config;
  AreaBreakdown tile_area;
  double array_area_um2 = 0;            // one array with its periphery (no buffers, router)
  std::int64_t weights_per_tile = 0;    // arrays_per_tile * rows * floor(cols / slices)
  double array_density_mb_per_mm2 = 0;  // weight bits per array area (the macro density)
  double tile_density_mb_per_mm2 = 0;   // weight bits per tile area
  std::int64_t mvm_cycles = 0;          // one vector through a fully used array
  double macs_per_ns_per_mm2 = 0;       // peak throughput density of the tile
};

ConfigSummary summarize_config(const hw::Library& library, const TileConfig& config);

// Throws Error naming the layer when `config` cannot hold one of the layers. The latency is
// the stream timing of the network's pixels (cost/stream_timing.h) when `streams` is given (the
// shapes are then its weight layers, in order), else the analytic chain of cost/pipeline.h.
// `samples` is the batch the shapes hold (their vectors count every sample): frames per second
// count samples, not runs.
DesignEstimate estimate_homogeneous(const std::vector<LayerShape>& shapes,
                                    const std::vector<std::string>& layer_names,
                                    const hw::Library& library, const TileConfig& config,
                                    const StreamGraph* streams = nullptr, std::int64_t samples = 1);

}  // namespace pimhls::cost
