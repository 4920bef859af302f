// Criteria-based technology selection (Eq. 1): the monotone assignments, checked against a
// brute-force filter of all K^L assignments, and the candidate counts of the paper's example.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "opt/criteria.h"
#include "opt/network_shapes.h"

namespace pimhls::opt {
namespace {

// Eq. (1) read literally over every pair, plus "equal demands share a technology".
bool satisfies_eq1(const CriterionInput& input, const std::vector<int>& assignment) {
  for (std::size_t i = 0; i < assignment.size(); ++i)
    for (std::size_t j = 0; j < assignment.size(); ++j) {
      const double cl = static_cast<double>(input.layer_demand[i].numerator) /
                            static_cast<double>(input.layer_demand[i].denominator) -
                        static_cast<double>(input.layer_demand[j].numerator) /
                            static_cast<double>(input.layer_demand[j].denominator);
      const double cr = input.technology_ability[static_cast<std::size_t>(assignment[i])] -
                        input.technology_ability[static_cast<std::size_t>(assignment[j])];
      if (cl * cr < 0) return false;
      if (cl == 0 && assignment[i] != assignment[j]) return false;
    }
  return true;
}

std::set<std::vector<int>> brute_force(const CriterionInput& input) {
  const int layers = static_cast<int>(input.layer_demand.size());
  const int techs = static_cast<int>(input.technology_ability.size());
  std::set<std::vector<int>> out;
  std::vector<int> assignment(static_cast<std::size_t>(layers), 0);
  for (;;) {
    if (satisfies_eq1(input, assignment)) out.insert(assignment);
    int l = 0;
    while (l < layers && ++assignment[static_cast<std::size_t>(l)] == techs)
      assignment[static_cast<std::size_t>(l++)] = 0;
    if (l == layers) return out;
  }
}

std::set<std::vector<int>> as_set(const std::vector<std::vector<int>>& assignments) {
  return {assignments.begin(), assignments.end()};
}

TEST_CASE("monotone assignments of a hand-worked example") {
  // Demands 5, 1, 5, 3 (three levels), technology 0 more capable than technology 1.
  CriterionInput input{{{5, 1}, {1, 1}, {5, 1}, {3, 1}}, {2.0, 1.0}};
  const std::vector<std::vector<int>> assignments = monotone_assignments(input);
  // Levels 1 < 3 < 5 get non-decreasing ranks; rank 0 is technology 1, rank 1 technology 0.
  CHECK(assignments ==
        std::vector<std::vector<int>>{{1, 1, 1, 1}, {0, 1, 0, 1}, {0, 1, 0, 0}, {0, 0, 0, 0}});
  CHECK(as_set(assignments) == brute_force(input));
}

TEST_CASE("property: monotone assignments are exactly Eq. (1), for 2 and 3 technologies") {
  const std::vector<CriterionInput> inputs = {
      {{{8, 1}, {2, 1}, {8, 1}, {4, 1}, {1, 1}, {4, 1}, {16, 1}}, {3.0, 1.0}},
      {{{3, 7}, {1, 7}, {6, 14}, {2, 1}, {1, 3}, {5, 5}}, {0.5, 2.0, 1.0}},  // 3/7 = 6/14
      {{{1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}, {6, 1}, {7, 1}, {8, 1}}, {1.0, 2.0, 3.0}},
  };
  for (const CriterionInput& input : inputs) {
    const std::vector<std::vector<int>> assignments = monotone_assignments(input);
    CHECK(assignments.size() == as_set(assignments).size());  // no duplicates
    CHECK(as_set(assignments) == brute_force(input));
  }
  // 8 distinct demands, 3 technologies: C(8 + 2, 2) = 45 instead of 3^8 = 6561.
  CHECK(monotone_assignments(inputs[2]).size() == 45);
}

TEST_CASE("criteria candidates are deduplicated and record their criteria") {
  // Memory and computation rank the layers the same way: their assignments coincide.
  const std::array<CriterionInput, 3> inputs = {
      CriterionInput{{{1, 1}, {2, 1}, {3, 1}}, {1.0, 2.0}},
      CriterionInput{{{10, 1}, {20, 1}, {30, 1}}, {1.0, 2.0}},
      CriterionInput{{{3, 1}, {2, 1}, {1, 1}}, {1.0, 2.0}}};
  const CandidateSet set = criteria_candidates(inputs, 2);
  CHECK(set.per_criterion == std::array<int, 3>{4, 4, 4});
  // Memory/computation: {111,011,001,000} as technology-per-layer with rank 1 = tech 1:
  // 000, 001, 011, 111; ratio reversed: 000, 100, 110, 111 -> 6 distinct.
  REQUIRE(set.candidates.size() == 6);
  CHECK(set.candidates[0].layer_technology == std::vector<int>{0, 0, 0});
  CHECK(set.candidates[0].criteria ==
        std::vector<Criterion>{Criterion::Memory, Criterion::Computation, Criterion::Ratio});
  CHECK(set.candidates[1].criteria ==
        std::vector<Criterion>{Criterion::Memory, Criterion::Computation});
  CHECK(set.candidates[4].criteria == std::vector<Criterion>{Criterion::Ratio});
  CHECK(set.naive_log10 == Approx(std::log10(8.0)));
}

TEST_CASE("ResNet-18's 18 layers of the paper and two technologies") {
  // The paper counts 18 layers (no downsample convolutions): 2^18 = 262144 assignments.
  Network network = resnet_network(18);
  std::vector<Layer> layers;
  for (const Layer& layer : network.layers)
    if (layer.name.find("downsample") == std::string::npos) layers.push_back(layer);
  REQUIRE(layers.size() == 18);
  std::array<CriterionInput, 3> inputs;
  for (const Layer& layer : layers) {
    inputs[0].layer_demand.push_back({layer.weight_bits, 1});
    inputs[1].layer_demand.push_back({layer.macs, 1});
    inputs[2].layer_demand.push_back({layer.weight_bits, layer.macs});
  }
  // RRAM-like technology 0: denser, less compute, higher ratio; SRAM-like technology 1.
  inputs[0].technology_ability = {3.4, 0.8};
  inputs[1].technology_ability = {0.1, 5.0};
  inputs[2].technology_ability = {34.0, 0.16};
  const CandidateSet set = criteria_candidates(inputs, 2);
  // Distinct weight counts: 9408, 36864, 73728, 147456, 294912, 512000, 589824, 1179648,
  // 2359296 -> 10 thresholds. MACs: fc 0.5M, 57.8M, 115.6M, conv1 118M -> 5. Bits per MAC
  // (1 / output pixels): 112^2, 56^2, 28^2, 14^2, 7^2, 1 -> 7.
  CHECK(set.per_criterion == std::array<int, 3>{10, 5, 7});
  // 22 assignments; the two homogeneous ones come from all three criteria (4 repeats): 18,
  // the paper's count. Deduplicating every coincidence leaves 13: "fc alone on RRAM" comes from
  // computation (fewest MACs) and ratio (most bits per MAC); "all but conv1 on RRAM" from
  // memory (conv1 is the smallest) and computation (conv1 has the most MACs); "stages 2-4 and
  // fc" and "stages 3-4 and fc" from memory and ratio (later stages: more weights, fewer pixels).
  CHECK(set.per_criterion[0] + set.per_criterion[1] + set.per_criterion[2] - 4 == 18);
  CHECK(set.candidates.size() == 13);
  std::set<std::vector<int>> all;
  for (Criterion c : kCriteria) {
    const std::set<std::vector<int>> one = brute_force(inputs[static_cast<std::size_t>(c)]);
    all.insert(one.begin(), one.end());
  }
  CHECK(all.size() == set.candidates.size());
  CHECK(set.naive_log10 == Approx(std::log10(262144.0)));
}

}  // namespace
}  // namespace pimhls::opt
