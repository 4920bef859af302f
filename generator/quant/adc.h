#pragma once
// The column readout: a partial sum p (one input level times one cell level counts 1) becomes
// the digital value that the shift-add uses. docs/analog-model.md, "ADC transfer function".
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "quant/array_params.h"

namespace pimhls::quant {

// round(sum / 2^shift) for sum >= 0, halves to even: unbiased on integer sums, where exact
// halves are frequent (rounding them up would add +LSB/4 on average to every sample).
inline std::int64_t round_half_even(std::int64_t sum, int shift) {
  if (shift == 0) return sum;
  const std::int64_t quotient = sum >> shift;
  const std::int64_t remainder = sum & ((std::int64_t{1} << shift) - 1);
  const std::int64_t half = std::int64_t{1} << (shift - 1);
  return quotient + ((remainder > half || (remainder == half && (quotient & 1))) ? 1 : 0);
}

// The same for an analog value.
inline double round_half_even(double value) {
  const double floor = std::floor(value);
  const double fraction = value - floor;
  if (fraction > 0.5) return floor + 1.0;
  if (fraction < 0.5) return floor;
  return std::fmod(floor, 2.0) == 0.0 ? floor : floor + 1.0;
}

struct Adc {
  AdcMode mode = AdcMode::Lossless;
  int shift = 0;              // Scale: log2 of the LSB in partial-sum units
  std::int64_t max_code = 0;  // 2^adc_bits - 1

  // The digital value of an ideal (integer, >= 0) column sum, in partial-sum units.
  std::int64_t convert(std::int64_t sum) const {
    switch (mode) {
      case AdcMode::Lossless: return sum;
      case AdcMode::Clip: return std::min(sum, max_code);
      case AdcMode::Scale: return std::min(round_half_even(sum, shift), max_code) << shift;
    }
    return sum;
  }
  // The same for an analog value (a non-ideal column): nearest code, halves to even, clipped
  // to [0, max_code]. Equals convert(sum) for an integer sum >= 0.
  std::int64_t convert(double value) const {
    const double lsb = mode == AdcMode::Scale ? std::ldexp(1.0, shift) : 1.0;
    double code = round_half_even(value / lsb);
    code = std::max(code, 0.0);
    if (mode != AdcMode::Lossless) code = std::min(code, static_cast<double>(max_code));
    return static_cast<std::int64_t>(code) << (mode == AdcMode::Scale ? shift : 0);
  }
  // True when the sum is beyond the top code (the readout clips it).
  bool saturated(std::int64_t sum) const {
    if (mode == AdcMode::Lossless) return false;
    return (mode == AdcMode::Scale ? round_half_even(sum, shift) : sum) > max_code;
  }
  bool saturated(double value) const {
    if (mode == AdcMode::Lossless) return false;
    const double lsb = mode == AdcMode::Scale ? std::ldexp(1.0, shift) : 1.0;
    return round_half_even(value / lsb) > static_cast<double>(max_code);
  }
};

// The ADC of a layer whose largest row block has `block_rows` rows. In Scale mode the LSB is
// 2^s with s = max(0, bit_width(full_scale) - adc_bits), full_scale = block_rows *
// (2^dac_bits - 1) * (2^bits_per_cell - 1): the largest sum a column can produce.
inline Adc make_adc(const ArrayParams& params, std::int64_t block_rows) {
  Adc adc;
  adc.mode = params.adc_mode;
  if (adc.mode == AdcMode::Lossless) return adc;
  adc.max_code = (std::int64_t{1} << params.adc_bits) - 1;
  if (adc.mode == AdcMode::Scale) {
    const std::int64_t full_scale = block_rows * ((std::int64_t{1} << params.dac_bits) - 1) *
                                    ((std::int64_t{1} << params.bits_per_cell) - 1);
    int width = 0;
    while ((full_scale >> width) != 0) ++width;
    adc.shift = std::max(0, width - params.adc_bits);
  }
  return adc;
}

}  // namespace pimhls::quant
