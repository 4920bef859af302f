// Integer rescaling (multiplier + shift), rounding, and the accuracy metrics.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "quant/fixed_point.h"
#include "quant/metrics.h"
#include "util/error.h"

using namespace pimhls;
using namespace pimhls::quant;

TEST_CASE("a requantizer holds the factor in the top multiplier bits") {
  // 0.5 = 0.5 * 2^0: with 16 bits M = 2^15 and shift 16.
  const Requantizer half = make_requantizer(0.5, 16);
  CHECK(half.multiplier == 32768);
  CHECK(half.shift == 16);
  // 0.3 = 0.6 * 2^-1: shift 17, M = round(0.3 * 2^17) = round(39321.6) = 39322.
  const Requantizer r = make_requantizer(0.3, 16);
  CHECK(r.shift == 17);
  CHECK(r.multiplier == 39322);
  // Negative factors keep the shift and negate the multiplier.
  CHECK(make_requantizer(-0.3, 16).multiplier == -39322);
  CHECK(make_requantizer(0.0, 16).multiplier == 0);
  // 40000 fits 16 magnitude bits with shift 0; 70000 would need a left shift.
  CHECK(make_requantizer(40000.0, 16).multiplier == 40000);
  CHECK(make_requantizer(40000.0, 16).shift == 0);
  CHECK_THROWS_AS(make_requantizer(70000.0, 16), Error);
  CHECK(make_requantizer(1000.0, 16).shift == 6);  // 1000 = 0.976.. * 2^10: 16 - 10
}

TEST_CASE("requantization rounds halves toward +infinity") {
  const Requantizer half = make_requantizer(0.5, 16);
  CHECK(half.apply(3) == 2);    // 1.5 -> 2
  CHECK(half.apply(-3) == -1);  // -1.5 -> -1
  CHECK(half.apply(4) == 2);
  CHECK(half.apply(-5) == -2);      // -2.5 -> -2
  CHECK(shift_round(7, 2) == 2);    // 1.75
  CHECK(shift_round(6, 2) == 2);    // 1.5
  CHECK(shift_round(5, 2) == 1);    // 1.25
  CHECK(shift_round(-6, 2) == -1);  // -1.5
  CHECK(shift_round(9, 0) == 9);
}

TEST_CASE("a shared shift serves the largest factor") {
  // 0.75 = 0.75 * 2^0 -> shift 16; Ma = 0.75 * 2^16 = 49152, Mb = round(0.1 * 2^16) = 6554.
  const SharedShift shared = make_shared_shift({0.75, 0.1}, 16);
  CHECK(shared.shift == 16);
  CHECK(shared.multipliers == std::vector<std::int64_t>{49152, 6554});
}

TEST_CASE("host-side rounding is half away from zero and saturates") {
  CHECK(round_saturate(2.5, -10, 10) == 3);
  CHECK(round_saturate(-2.5, -10, 10) == -3);
  CHECK(round_saturate(2.49, -10, 10) == 2);
  CHECK(round_saturate(1e9, -128, 127) == 127);
  CHECK(round_saturate(-1e9, -128, 127) == -128);
}

TEST_CASE("host-side rounding equals std::round, clamped, on every kind of double") {
  // The reference: libm's round, then saturation (round_saturate avoids the call).
  const auto reference = [](double value, std::int64_t low, std::int64_t high) -> std::int64_t {
    if (std::isnan(value)) return 0;
    const double rounded = std::round(value);
    if (rounded <= static_cast<double>(low)) return low;
    if (rounded >= static_cast<double>(high)) return high;
    return static_cast<std::int64_t>(rounded);
  };
  std::vector<double> values = {0.0,
                                -0.0,
                                0.5,
                                -0.5,
                                1.5,
                                -1.5,
                                0.49999999999999994,
                                -0.49999999999999994,
                                4503599627370495.5,
                                4503599627370497.0,
                                -4503599627370497.0,
                                1e18,
                                -1e18,
                                1e300,
                                INFINITY,
                                -INFINITY,
                                NAN};
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> wide(-300.0, 300.0);
  for (int i = 0; i < 20000; ++i) {
    const double v = wide(random);
    values.push_back(v);
    values.push_back(std::nextafter(std::trunc(v) + 0.5, 0.0));  // just below a half
    values.push_back(std::trunc(v) + (v < 0 ? -0.5 : 0.5));      // exactly a half
  }
  const std::int64_t big = std::int64_t{1} << 60;
  for (const double v : values) {
    INFO(v);
    CHECK(round_saturate(v, -127, 127) == reference(v, -127, 127));
    CHECK(round_saturate(v, -big, big) == reference(v, -big, big));
  }
}

TEST_CASE("SQNR and top-1 agreement") {
  // signal 1 + 1 = 2, noise 0.01 + 0.01 = 0.02: 10 log10(100) = 20 dB.
  CHECK(sqnr_db({1.0f, 1.0f}, {1.1f, 0.9f}) == Approx(20.0).epsilon(1e-5));
  CHECK(std::isinf(sqnr_db({1.0f, 2.0f}, {1.0f, 2.0f})));
  CHECK_THROWS_AS(sqnr_db({1.0f}, {1.0f, 2.0f}), Error);
  const ir::Tensor reference{{2, 3}, {0.1f, 0.9f, 0.3f, 5.0f, 1.0f, 2.0f}};
  const ir::Tensor test{{2, 3}, {0.2f, 0.8f, 0.1f, 1.0f, 4.0f, 2.0f}};
  CHECK(top1(reference) == std::vector<std::int64_t>{1, 0});
  const Agreement agreement = top1_agreement(reference, test);
  CHECK(agreement.rows == 2);
  CHECK(agreement.agreeing == 1);
}
