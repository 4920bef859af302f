#pragma once
// The extension point for analog non-idealities (device variation, read noise, finite on/off
// ratio, IR drop, stuck-at faults). The analog model asks a Nonideality for the value each ADC
// samples; without one (the default) the column sum is ideal and the fast bit-plane kernel
// runs. Models are seeded and sampled in a fixed order, so results are deterministic.
#include <cstdint>
#include <memory>
#include <span>

namespace pimhls::quant {

// What a later issue will model; all zero (the default) is the ideal array.
struct NonidealConfig {
  std::uint64_t seed = 1;
  double device_variation_sigma = 0.0;  // relative spread of each cell's conductance
  double read_noise_sigma = 0.0;        // per column read, in units of one cell level
  double on_off_ratio = 0.0;            // G_on / G_off; 0 means infinite (no off current)
  double ir_drop = 0.0;                 // wire resistance relative to the cell's on resistance
  double stuck_at_off_rate = 0.0;       // fraction of cells stuck at level 0
  double stuck_at_on_rate = 0.0;        // fraction of cells stuck at the top level

  bool ideal() const;
};

// One ADC sample: the column holding slice `slice` of output column `column` (slice -1: the
// reference column) of weight group `group`, row block `row_block` (in array `array`), input
// chunk `input_chunk`, for input vector `vector` of the current image.
struct ColumnSample {
  int node_index = 0;
  std::int64_t group = 0;
  std::int64_t column = 0;
  int slice = 0;
  std::int64_t row_block = 0;
  std::int64_t array = 0;
  int input_chunk = 0;
  std::int64_t vector = 0;
  std::span<const std::uint8_t> input_levels;  // DAC level of each row of the block
  std::span<const std::uint8_t> cell_levels;   // stored level of each row of the block
  std::int64_t ideal_sum = 0;                  // sum of input_levels[i] * cell_levels[i]
};

class Nonideality {
 public:
  virtual ~Nonideality() = default;
  // The column value the ADC samples, in units of one input level times one cell level.
  virtual double sample(const ColumnSample& sample) = 0;
};

// nullptr for the ideal configuration. The non-ideal models are not written yet: any other
// configuration throws Error saying so.
std::unique_ptr<Nonideality> make_nonideality(const NonidealConfig& config);

}  // namespace pimhls::quant
