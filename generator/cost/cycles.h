#pragma once
// Integer arithmetic of the cost model. Every latency is a whole number of chip clock cycles
// (docs/cost-model.md, "Time"), so the RTL can be checked against the model cycle for cycle.
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace pimhls::cost {

inline std::int64_t ceil_div(std::int64_t numerator, std::int64_t denominator) {
  return (numerator + denominator - 1) / denominator;
}

// An analog time in ns as whole cycles of a `clock_ghz` clock, rounded up. The tolerance keeps
// 3.0 ns at 1 GHz at 3 cycles despite binary floating point.
inline std::int64_t ns_to_cycles(double ns, double clock_ghz) {
  return std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil(ns * clock_ghz - 1e-9)));
}

// Smallest h with h * h >= n (n >= 0).
inline std::int64_t ceil_sqrt(std::int64_t n) {
  std::int64_t h = static_cast<std::int64_t>(std::sqrt(static_cast<double>(n)));
  while (h * h < n) ++h;
  while (h > 0 && (h - 1) * (h - 1) >= n) --h;
  return h;
}

// Smallest k with 2^k >= n (n >= 1).
inline std::int64_t ceil_log2(std::int64_t n) {
  std::int64_t k = 0;
  while ((std::int64_t{1} << k) < n) ++k;
  return k;
}

}  // namespace pimhls::cost
