#pragma once
// The one measurement of a concrete design: latency, area and energy of one inference, with
// the schedule (start and end cycles of every group and unit). Every number pimhls reports
// comes from here. It also checks the design: every unit placed once per schedule, copies of
// the right size on tiles of the right option, no tile used twice in a group, each tile set
// serving at most one unit per group. A violation is a bug of the optimizer: std::logic_error.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "opt/design.h"
#include "opt/problem.h"

namespace pimhls::opt {

struct UnitTiming {
  int group = 0;
  std::int64_t copies = 0;
  std::int64_t tiles = 0;           // all copies
  std::int64_t compute_cycles = 0;  // the unit alone, its vectors shared by its copies
  std::int64_t fill_cycles = 0;
  std::int64_t start_cycle = 0;  // absolute, from the start of the inference
  std::int64_t end_cycle = 0;
  double compute_energy_pj = 0;
};

struct GroupTiming {
  std::int64_t start_cycle = 0;
  std::int64_t reload_cycles = 0;   // weights in (0 for a design that keeps all weights on chip)
  std::int64_t reload_bits = 0;     // the off-chip image of the group's arrays (also resident)
  std::int64_t compute_cycles = 0;  // bottleneck + fills
  std::int64_t spill_cycles = 0;    // activations out and back in
  std::int64_t end_cycle = 0;
  std::int64_t bottleneck_cycles = 0;
  int bottleneck_unit = 0;
  std::vector<std::int64_t> tiles_used;  // per technology
};

struct AreaReport {
  double tiles_um2 = 0;
  double global_buffer_um2 = 0;
  double controller_um2 = 0;
  double total_um2 = 0;
  std::vector<std::int64_t> tiles_per_technology;
  std::vector<double> area_per_technology_um2;
  std::vector<std::pair<std::string, double>> tile_parts_um2;  // cells, readout, ... summed
};

struct EnergyReport {
  double compute_pj = 0;
  double reload_pj = 0;
  double spill_pj = 0;
  double leakage_pj = 0;
  double total_pj() const { return compute_pj + reload_pj + spill_pj + leakage_pj; }
};

struct Evaluation {
  std::int64_t latency_cycles = 0;
  double latency_us = 0;
  AreaReport area;
  EnergyReport energy;
  bool within_budget = true;  // area <= the design's budget (always true without one)
  std::vector<GroupTiming> groups;
  std::vector<UnitTiming> units;
};

// A weight engine configures its section of a group while the global controller reloads the
// group's weights; a short reload leaves part of it exposed (cost::config_lead_cycles).
// Placed: each engine starts at its own DONE of the group before, as the accelerator does.
// Scheduled: every engine as if it finished last, as the schedule's DP counts it (the DP does
// not know the placement); allocation.cpp checks the DP against this mode.
enum class ConfigOverlap { Placed, Scheduled };

Evaluation evaluate(const Problem& problem, const Design& design,
                    ConfigOverlap overlap = ConfigOverlap::Placed);

class UnitCosts;  // opt/placement.h
struct UnitFlow;  // opt/unit_flow.h
// The same with the unit costs and the data flow of design.units built by the caller: a search
// that evaluates many designs of the same units (tuning) builds them once.
Evaluation evaluate(const Problem& problem, const Design& design, UnitCosts& costs,
                    const UnitFlow& flow, ConfigOverlap overlap = ConfigOverlap::Placed);

}  // namespace pimhls::opt
