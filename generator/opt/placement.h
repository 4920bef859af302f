#pragma once
// Placing layer groups on physical tiles (Sec. IV-C, Fig. 4c). Within a group, the units of each
// technology, sorted by computation (heaviest first), take consecutive tiles, so the heavy units
// of different groups share the first tiles; a copy never straddles two options. Duplication
// is the smallest bottleneck the tiles allow (Alg. 1 line 12); on a layout with a single option
// per technology this is exactly min_bottleneck() of the DP.
#include <optional>
#include <vector>

#include "opt/design.h"
#include "opt/schedule.h"

namespace pimhls::opt {

// The tiles of one technology: runs of one option, in physical order.
struct Run {
  int option = 0;
  std::int64_t tiles = 0;
};
using Layout = std::vector<std::vector<Run>>;  // [technology]

// The same option on every tile of a technology (a layout before tuning).
Layout uniform_layout(const std::vector<int>& option, const std::vector<std::int64_t>& tiles);
// A design's layout: its tile sets, adjacent ones with the same option merged.
Layout layout_of(const Problem& problem, const Design& design);
double layout_area_um2(const Problem& problem, const Layout& layout);

// Costs of a design's units on any option, computed when first needed (whole layers come from
// the problem's table). One instance per thread.
class UnitCosts {
 public:
  UnitCosts(const Problem& problem, const std::vector<Unit>& units);
  const UnitCost& get(int unit, int option);

 private:
  const Problem& problem_;
  std::vector<Unit> units_;
  std::vector<std::vector<std::optional<UnitCost>>> cache_;  // [unit][option]
};

// Copies of units first..last on `layout` (physical tile numbers), or nullopt if one copy of
// each does not fit.
std::optional<std::vector<std::vector<CopyPlacement>>> place_group(
    const Problem& problem, UnitCosts& costs, const Design& design, const Layout& layout, int first,
    int last, Duplication duplication);

// A design with `groups` placed on `layout`; nullopt if a group does not fit. `design` carries
// the name, budget, assignment, units and live bits; its tile sets and groups are replaced.
std::optional<Design> place_design(const Problem& problem, UnitCosts& costs, Design design,
                                   const std::vector<GroupRange>& groups, const Layout& layout,
                                   Duplication duplication);

// A design skeleton (no tiles or groups yet) from a unit plan.
Design design_skeleton(const UnitPlan& plan, const std::vector<int>& layer_technology,
                       std::string name, double area_budget_um2);

}  // namespace pimhls::opt
