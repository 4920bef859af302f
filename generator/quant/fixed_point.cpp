#include "quant/fixed_point.h"

#include <algorithm>
#include <cmath>

#include "util/error.h"

namespace pimhls::quant {
namespace {

void check_bits(int multiplier_bits) {
  if (multiplier_bits < 2 || multiplier_bits > 31)
    fail("multiplier_bits {}: must be 2..31", multiplier_bits);
}

// The shift that gives the largest |M| below 2^bits for `magnitude` (> 0), capped at kMaxShift.
int best_shift(double magnitude, int multiplier_bits) {
  int exponent = 0;
  std::frexp(magnitude, &exponent);  // magnitude = f * 2^exponent, f in [0.5, 1)
  int shift = multiplier_bits - exponent;
  // Rounding f * 2^bits can reach 2^bits exactly: one bit less then.
  if (std::llround(std::ldexp(magnitude, shift)) >= (std::int64_t{1} << multiplier_bits)) --shift;
  if (shift < 0)
    fail("scale factor {:.6g} needs a left shift: it does not fit a {}-bit multiplier", magnitude,
         multiplier_bits);
  return std::min(shift, kMaxShift);
}

}  // namespace

Requantizer make_requantizer(double real, int multiplier_bits) {
  check_bits(multiplier_bits);
  if (!std::isfinite(real)) fail("scale factor {} is not finite", real);
  if (real == 0.0) return {};
  Requantizer result;
  result.shift = best_shift(std::fabs(real), multiplier_bits);
  result.multiplier = std::llround(std::ldexp(real, result.shift));
  return result;
}

SharedShift make_shared_shift(const std::vector<double>& reals, int multiplier_bits) {
  check_bits(multiplier_bits);
  double largest = 0.0;
  for (double real : reals) {
    if (!std::isfinite(real)) fail("scale factor {} is not finite", real);
    largest = std::max(largest, std::fabs(real));
  }
  SharedShift result;
  if (largest > 0.0) result.shift = best_shift(largest, multiplier_bits);
  for (double real : reals)
    result.multipliers.push_back(std::llround(std::ldexp(real, result.shift)));
  return result;
}

}  // namespace pimhls::quant
