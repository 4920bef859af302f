#pragma once
// Integer rescaling without floats at run time: a real factor r is stored as an integer
// multiplier M and a right shift s with r ~= M / 2^s, and applied as
//   (value * M + 2^(s-1)) >> s      (arithmetic shift: rounds halves toward +infinity)
// The RTL implements exactly this (docs/quantization.md, "Requantization").
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace pimhls::quant {

// Largest right shift used: keeps value * M + 2^(s-1) inside int64 for |value| < 2^31.
inline constexpr int kMaxShift = 62;

// round(value / 2^shift), halves toward +infinity; shift 0 returns value.
inline std::int64_t shift_round(std::int64_t value, int shift) {
  return shift == 0 ? value : (value + (std::int64_t{1} << (shift - 1))) >> shift;
}

struct Requantizer {
  std::int64_t multiplier = 0;  // |M| < 2^multiplier_bits; negative for a negative factor
  int shift = 0;                // 0..kMaxShift

  std::int64_t apply(std::int64_t value) const { return shift_round(value * multiplier, shift); }
};

// The multiplier of `multiplier_bits` bits (magnitude) and the shift that represent `real` best:
// |M| in [2^(bits-1), 2^bits) unless the shift would exceed kMaxShift (then M is smaller, and 0
// for a factor below 2^-kMaxShift). Throws Error when |real| rounds to 2^bits or more (it
// would need a left shift).
Requantizer make_requantizer(double real, int multiplier_bits);

// Several factors sharing one shift (the residual Add: y = (a*Ma + b*Mb + 2^(s-1)) >> s): the
// shift is chosen for the largest |factor|, the others get fewer significant bits.
struct SharedShift {
  std::vector<std::int64_t> multipliers;
  int shift = 0;
};
SharedShift make_shared_shift(const std::vector<double>& reals, int multiplier_bits);

// Nearest integer to `value`, halves away from zero, saturated to [low, high] (host-side
// quantization of inputs, weights and bias; never used by the integer executor's datapath).
// Inline and without libm's round: quantization calls it for every weight, many times over.
inline std::int64_t round_saturate(double value, std::int64_t low, std::int64_t high) {
  if (std::isnan(value)) return 0;
  constexpr double kExact = 4503599627370496.0;  // 2^52: below it, value - trunc(value) is exact
  if (std::fabs(value) >= kExact) {              // already an integer
    if (value <= static_cast<double>(low)) return low;
    if (value >= static_cast<double>(high)) return high;
    return static_cast<std::int64_t>(value);
  }
  const auto whole = static_cast<std::int64_t>(value);  // towards zero
  const double fraction = value - static_cast<double>(whole);
  const std::int64_t rounded = whole + (fraction >= 0.5) - (fraction <= -0.5);
  return std::clamp(rounded, low, high);
}

}  // namespace pimhls::quant
