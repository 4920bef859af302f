#include "opt/criteria.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace pimhls::opt {
namespace {

bool less(const Demand& a, const Demand& b) {
  return static_cast<__int128>(a.numerator) * b.denominator <
         static_cast<__int128>(b.numerator) * a.denominator;
}

// Extends `ranks` (a non-decreasing technology rank per demand level) in every possible way.
void enumerate(std::vector<int>& ranks, std::size_t level, int technologies,
               std::vector<std::vector<int>>& out) {
  if (level == ranks.size()) {
    out.push_back(ranks);
    return;
  }
  const int lowest = level == 0 ? 0 : ranks[level - 1];
  for (int rank = lowest; rank < technologies; ++rank) {
    ranks[level] = rank;
    enumerate(ranks, level + 1, technologies, out);
  }
}

}  // namespace

const char* criterion_name(Criterion criterion) {
  switch (criterion) {
    case Criterion::Memory: return "memory";
    case Criterion::Computation: return "computation";
    case Criterion::Ratio: return "ratio";
  }
  return "?";
}

std::vector<std::vector<int>> monotone_assignments(const CriterionInput& input) {
  const std::size_t layers = input.layer_demand.size();
  const int technologies = static_cast<int>(input.technology_ability.size());
  // Technologies by ascending capability (ties: library order).
  std::vector<int> by_ability(static_cast<std::size_t>(technologies));
  std::iota(by_ability.begin(), by_ability.end(), 0);
  std::stable_sort(by_ability.begin(), by_ability.end(), [&](int a, int b) {
    return input.technology_ability[a] < input.technology_ability[b];
  });
  // Layers by ascending demand; equal demands share a level.
  std::vector<std::size_t> by_demand(layers);
  std::iota(by_demand.begin(), by_demand.end(), 0);
  std::stable_sort(by_demand.begin(), by_demand.end(), [&](std::size_t a, std::size_t b) {
    return less(input.layer_demand[a], input.layer_demand[b]);
  });
  std::vector<int> level(layers, 0);
  int levels = 0;
  for (std::size_t i = 0; i < layers; ++i) {
    if (i > 0 && less(input.layer_demand[by_demand[i - 1]], input.layer_demand[by_demand[i]]))
      ++levels;
    level[by_demand[i]] = levels;
  }
  if (layers > 0) ++levels;
  std::vector<std::vector<int>> rankings;
  std::vector<int> ranks(static_cast<std::size_t>(levels), 0);
  enumerate(ranks, 0, technologies, rankings);
  std::vector<std::vector<int>> assignments;
  for (const std::vector<int>& ranking : rankings) {
    std::vector<int> assignment(layers);
    for (std::size_t i = 0; i < layers; ++i) assignment[i] = by_ability[ranking[level[i]]];
    assignments.push_back(assignment);
  }
  return assignments;
}

CandidateSet criteria_candidates(const std::array<CriterionInput, 3>& inputs, int technologies) {
  CandidateSet set;
  std::map<std::vector<int>, std::size_t> seen;
  for (std::size_t c = 0; c < kCriteria.size(); ++c) {
    const std::vector<std::vector<int>> assignments = monotone_assignments(inputs[c]);
    set.per_criterion[c] = static_cast<int>(assignments.size());
    for (const std::vector<int>& assignment : assignments) {
      const auto [it, inserted] = seen.emplace(assignment, set.candidates.size());
      if (inserted) set.candidates.push_back({assignment, {}});
      std::vector<Criterion>& from = set.candidates[it->second].criteria;
      if (from.empty() || from.back() != kCriteria[c]) from.push_back(kCriteria[c]);
    }
  }
  set.naive_log10 = static_cast<double>(inputs[0].layer_demand.size()) *
                    std::log10(static_cast<double>(technologies));
  return set;
}

std::array<CriterionInput, 3> problem_criteria(const Problem& problem) {
  std::array<CriterionInput, 3> inputs;
  for (const Layer& layer : problem.network.layers) {
    inputs[0].layer_demand.push_back({layer.weight_bits, 1});
    inputs[1].layer_demand.push_back({layer.macs, 1});
    inputs[2].layer_demand.push_back({layer.weight_bits, std::max<std::int64_t>(layer.macs, 1)});
  }
  for (const Technology& tech : problem.technologies) {
    const double tile_area =
        problem.options[static_cast<std::size_t>(tech.baseline_option)].tile_area_um2;
    double bits = 0, macs = 0, area = 0, area_cycles = 0;
    for (int l = 0; l < problem.network.size(); ++l) {
      const UnitCost& cost = problem.layer_cost(l, tech.baseline_option);
      if (!cost.feasible) continue;
      const double layer_area = static_cast<double>(cost.tiles) * tile_area;
      bits += static_cast<double>(problem.network.layers[static_cast<std::size_t>(l)].weight_bits);
      macs += static_cast<double>(problem.network.layers[static_cast<std::size_t>(l)].macs);
      area += layer_area;
      area_cycles += layer_area * static_cast<double>(compute_cycles(cost, 1));
    }
    const double density = bits / area;         // bits per um2
    const double compute = macs / area_cycles;  // MACs per cycle per um2
    inputs[0].technology_ability.push_back(density);
    inputs[1].technology_ability.push_back(compute);
    inputs[2].technology_ability.push_back(density / compute);
  }
  return inputs;
}

}  // namespace pimhls::opt
