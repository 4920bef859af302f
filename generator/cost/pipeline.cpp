#include "cost/pipeline.h"

#include <algorithm>

namespace pimhls::cost {

PipelineState extend_pipeline(const PipelineState& state, const LayerCost& layer) {
  const Timing& t = layer.timing;
  const std::int64_t start = state.empty ? 0 : state.next_start_cycles;
  PipelineState next;
  next.empty = false;
  // The layer cannot finish before it has streamed all its vectors, nor before its producer's
  // last output has arrived and gone through one vector's depth.
  next.finish_cycles =
      std::max(start + t.compute_cycles, state.empty ? 0 : state.finish_cycles + t.depth_cycles);
  next.next_start_cycles = start + t.fill_cycles;
  return next;
}

std::int64_t group_latency_cycles(std::span<const LayerCost> layers) {
  PipelineState state;
  for (const LayerCost& layer : layers) state = extend_pipeline(state, layer);
  return state.finish_cycles;
}

}  // namespace pimhls::cost
