#pragma once
// Everything the search needs, fixed before it starts: the network, the technologies and tile
// options it may build, the chip constants, and the cost of one copy of any (piece of a) layer
// on any option. make_problem() fills it from cost/ and hw/; tests fill it with synthetic costs.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "cost/layer_shape.h"
#include "opt/network.h"
#include "opt/unit_cost.h"

namespace pimhls::opt {

// The array arithmetic of a tile type, passed through to the design file for the analog model
// and the RTL (the search itself does not use it).
struct ArrayArithmetic {
  int bits_per_cell = 1;
  int dac_bits = 1;
  int parallel_rows = 0;
  int readout_bits = 0;
  bool digital_readout = false;          // an exact adder tree instead of an ADC
  bool twos_complement_weights = false;  // else offset
};

struct Technology {
  std::string name;          // the tile type, e.g. "rram"
  int tile_type = -1;        // index into hw::Library::tile_types (-1 in synthetic problems)
  int baseline_option = 0;   // the option every tile has before tuning (index into options)
  std::vector<int> options;  // every option of this technology, in library order
  ArrayArithmetic arithmetic;
};

struct ChipModel {
  double global_buffer_um2 = 0;  // the area that does not depend on the tiles ...
  double controller_um2 = 0;     // ... (cost::chip_fixed_area)
  std::int64_t buffer_bits = 0;  // global buffer: activations kept between layer groups
  double offchip_bits_per_cycle = 1;
  double offchip_energy_pj_per_bit = 0;
  double clock_ghz = 1;
  double fixed_leakage_mw = 0;
  // The controller's issue cycles (docs/isa.md): before each reload (its three SETs) and once
  // per inference (MARK). 0 in synthetic problems.
  std::int64_t reload_control_cycles = 0;
  std::int64_t inference_control_cycles = 0;

  double fixed_area_um2() const { return global_buffer_um2 + controller_um2; }
};

// Cost of one copy of a layer (or a piece of one: a smaller weight matrix) on an option.
// Must be a pure function: the search calls it from several threads.
using UnitCostFunction = std::function<UnitCost(const cost::LayerShape& shape, int option)>;

struct Problem {
  Network network;
  std::vector<Technology> technologies;
  std::vector<TileOption> options;
  ChipModel chip;
  UnitCostFunction unit_cost;
  std::vector<std::vector<UnitCost>> layer_costs;  // [layer][option]: whole layers, one copy
  std::vector<double> tile_leakage_mw;             // per option
  std::vector<std::vector<std::pair<std::string, double>>> tile_area_parts_um2;  // per option
  int accumulator_bits = 32;
  bool twos_complement_activations = true;

  const UnitCost& layer_cost(int layer, int option) const {
    return layer_costs[static_cast<std::size_t>(layer)][static_cast<std::size_t>(option)];
  }
  int technology_count() const { return static_cast<int>(technologies.size()); }
};

// Fills layer_costs from unit_cost (after network, options and unit_cost are set).
void tabulate_layer_costs(Problem& problem);

}  // namespace pimhls::opt
