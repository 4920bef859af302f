#pragma once
// Layer groups run as a pipeline (PIM-HLS section IV-C: "the layers of one layer group are
// executed in a pipeline"): latency = fill + bottleneck. docs/cost-model.md, "Layer groups".
#include <cstdint>
#include <span>

#include "cost/layer_cost.h"

namespace pimhls::cost {

// The state of a pipeline after some layers of a group, so that a group can be grown one layer
// at a time (the DP of Alg. 1 extends groups layer by layer).
struct PipelineState {
  bool empty = true;
  std::int64_t next_start_cycles = 0;  // when the next layer may start (its lead inputs are out)
  std::int64_t finish_cycles = 0;      // when the last layer's last output is out
};

// Adds `layer` after the layers of `state`:
//   start  = previous next_start (0 for the first layer)
//   finish = max(start + compute, previous finish + depth)
//   next   = start + fill
PipelineState extend_pipeline(const PipelineState& state, const LayerCost& layer);

// Latency of a whole group, layers in topological order: the last finish.
std::int64_t group_latency_cycles(std::span<const LayerCost> layers);

}  // namespace pimhls::cost
