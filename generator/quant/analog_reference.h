#pragma once
// The analog PIM reference: the integer executor whose Conv/Gemm products go through the
// modelled arrays (analog_mvm.h), each layer with the array parameters of the tile it is
// mapped to. Everything else (bias, requantization, activation, pooling, Add) is the integer
// reference's code, so with lossless ADCs the two agree bit for bit.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "quant/analog_mvm.h"
#include "quant/array_params.h"
#include "quant/int_reference.h"
#include "quant/nonideal.h"

namespace pimhls::quant {

struct AnalogConfig {
  ArrayMap arrays;          // per layer (node name), else the fallback
  NonidealConfig nonideal;  // ideal by default
};

// What one layer's arrays did during the runs so far.
struct AnalogLayerReport {
  int node_index = 0;
  std::string name;
  ArrayParams params;
  int adc_shift = 0;
  bool lossless = false;  // no column sum can exceed the ADC's exact range
  std::int64_t row_blocks = 0;
  std::int64_t columns_per_weight = 0;
  AdcCounters counters;
};

class AnalogEngine final : public MatrixEngine {
 public:
  // Programs every Conv/Gemm of `graph` into arrays. `nonideal` (may be nullptr: ideal) must
  // outlive the engine. Throws Error naming the layer when its parameters do not fit.
  AnalogEngine(const QuantizedGraph& graph, const ArrayMap& arrays,
               Nonideality* nonideal = nullptr);
  // A layer's ArrayParams::groups_per_array: its packs are computed as one group each.
  std::int64_t groups_per_multiply(int node_index) const override;
  void multiply(int node_index, std::int64_t block, std::span<const std::int32_t> patches,
                std::int64_t vectors, std::span<std::int64_t> accumulators) override;
  std::vector<AnalogLayerReport> report() const;

 private:
  const QuantizedGraph& graph_;
  Nonideality* nonideal_;
  std::map<int, AnalogLayer> layers_;  // by node index; packed groups as one
};

// Runs one inference through the analog model (config.nonideal builds the non-ideality).
IntResult run_analog(const QuantizedGraph& graph, const AnalogConfig& config,
                     const std::vector<ir::Tensor>& inputs, const IntObserver& observer = {},
                     std::vector<AnalogLayerReport>* report = nullptr);

}  // namespace pimhls::quant
