// Calibration statistics and the clipping thresholds chosen from them.
#include <catch2/catch.hpp>

#include "quant/calibrate.h"
#include "util/error.h"

using namespace pimhls;
using namespace pimhls::quant;

namespace {

ValueStats stats_of(std::vector<float> data) {
  ValueStats stats;
  const std::int64_t size = static_cast<std::int64_t>(data.size());
  stats.add(ir::Tensor{{1, size}, std::move(data)}, "test");
  return stats;
}

QuantConfig with(CalibrationMethod method) {
  QuantConfig config;
  config.calibration = method;
  return config;
}

}  // namespace

TEST_CASE("statistics record extremes, zeros and channel means") {
  ValueStats stats;
  stats.add(ir::Tensor{{1, 2, 2}, {0.0f, 1.0f, -2.0f, 3.0f}}, "test");
  CHECK(stats.max == 3.0);
  CHECK(stats.min == -2.0);
  CHECK(stats.zeros == 1);
  CHECK(stats.count == 4);
  // Channel 0 holds {0, 1}, channel 1 {-2, 3}.
  CHECK(stats.channel_mean == std::vector<double>{0.5, 0.5});
  stats.add(ir::Tensor{{1, 2, 2}, {2.0f, 3.0f, 0.0f, 1.0f}}, "test");
  CHECK(stats.channel_mean == std::vector<double>{1.5, 0.5});
  CHECK_THROWS_AS(stats.add(ir::Tensor{{1, 1}, {std::nanf("")}}, "test"), Error);
}

TEST_CASE("max calibration keeps the largest magnitude of the sign it quantizes") {
  const ValueStats stats = stats_of({0.5f, -4.0f, 3.0f});
  CHECK(clip_threshold(stats, true, 8, with(CalibrationMethod::Max)) == 4.0);
  // Unsigned (read only by ReLUs): negative values become 0 and do not count.
  CHECK(clip_threshold(stats, false, 8, with(CalibrationMethod::Max)) == 3.0);
  CHECK(clip_threshold(stats_of({0.0f, 0.0f}), true, 8, with(CalibrationMethod::Max)) == 0.0);
}

TEST_CASE("percentile calibration cuts the rare tail") {
  // 1000 values 0.001 .. 1.000 and one outlier at 100: the 99% point is about 0.99.
  std::vector<float> data;
  for (int i = 1; i <= 1000; ++i) data.push_back(static_cast<float>(i) / 1000.0f);
  data.push_back(100.0f);
  QuantConfig config = with(CalibrationMethod::Percentile);
  config.percentile = 99.0;
  const double threshold = clip_threshold(stats_of(data), false, 8, config);
  CHECK(threshold > 0.95);
  CHECK(threshold < 1.05);
}

TEST_CASE("MSE calibration trades clipping error against rounding error") {
  // 1000 values at exactly 1 and one at 4, 2-bit unsigned (3 levels). Threshold 4: step 4/3,
  // each 1 rounds with error ~ step^2/12 = 0.148, 148 in all. Threshold 1: the 4 clips, error
  // 9, and the ones are exact. The optimum is near 1.
  std::vector<float> data(1000, 1.0f);
  data.push_back(4.0f);
  const double threshold = clip_threshold(stats_of(data), false, 2, with(CalibrationMethod::Mse));
  CHECK(threshold > 0.95);
  CHECK(threshold < 1.1);
  // Uniform data has no tail worth clipping at 8 bits.
  std::vector<float> uniform;
  for (int i = 1; i <= 1000; ++i) uniform.push_back(static_cast<float>(i) / 1000.0f);
  CHECK(clip_threshold(stats_of(uniform), false, 8, with(CalibrationMethod::Mse)) > 0.98);
}

TEST_CASE("random calibration inputs are seeded") {
  ir::Graph graph;
  graph.values.push_back(ir::Value{"x", {1, 2, 3}, -1});
  graph.inputs = {0};
  const auto a = random_input_sets(graph, 2, 7), b = random_input_sets(graph, 2, 7);
  const auto c = random_input_sets(graph, 2, 8);
  REQUIRE(a.size() == 2);
  CHECK(a[0][0].shape == ir::Dims{1, 2, 3});
  CHECK(a[0][0].data == b[0][0].data);
  CHECK(a[1][0].data == b[1][0].data);
  CHECK(a[0][0].data != a[1][0].data);
  CHECK(a[0][0].data != c[0][0].data);
}
