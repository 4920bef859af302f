#pragma once
// Coarse-grained technology selection (Sec. IV-A). Each criterion gives every layer a demand
// (Cl_i) and every technology a capability (Cr_a); Eq. (1) admits the assignments R where
//   (Cr_a - Cr_b)(Cl_i - Cl_j) >= 0 for all layers i, j with R_i = a, R_j = b,
// i.e. monotone matchings of the layers sorted by demand to the technologies sorted by
// capability. Layers with equal demand get the same technology (they are interchangeable for
// the criterion); with that reading ResNet-18's 18 layers and two technologies give the paper's
// 18 candidates. For D distinct demands and K technologies a criterion gives C(D+K-1, K-1)
// assignments, O(L^(K-1)), instead of K^L.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "opt/problem.h"

namespace pimhls::opt {

enum class Criterion { Memory, Computation, Ratio };
inline constexpr std::array<Criterion, 3> kCriteria = {Criterion::Memory, Criterion::Computation,
                                                       Criterion::Ratio};
const char* criterion_name(Criterion criterion);

// A layer's demand as an exact fraction, so that equal demands compare equal.
struct Demand {
  std::int64_t numerator = 0;
  std::int64_t denominator = 1;
};

struct CriterionInput {
  std::vector<Demand> layer_demand;        // Cl_i
  std::vector<double> technology_ability;  // Cr_a
};

struct Candidate {
  std::vector<int> layer_technology;
  std::vector<Criterion> criteria;  // the criteria that produced it
};

struct CandidateSet {
  std::vector<Candidate> candidates;   // deduplicated, in generation order
  std::array<int, 3> per_criterion{};  // assignments each criterion produced (with duplicates)
  double naive_log10 = 0;              // log10(K^L), the brute-force count
};

// The assignments satisfying Eq. (1) for one criterion, in a fixed order.
std::vector<std::vector<int>> monotone_assignments(const CriterionInput& input);

// All three criteria, deduplicated.
CandidateSet criteria_candidates(const std::array<CriterionInput, 3>& inputs, int technologies);

// The criteria of a problem: layers' weight bits, MACs and bits per MAC against technologies'
// density (bits per um2), compute capability (MACs per cycle per um2) and their ratio, all
// measured with the cost model on this network at each technology's baseline option.
std::array<CriterionInput, 3> problem_criteria(const Problem& problem);

}  // namespace pimhls::opt
