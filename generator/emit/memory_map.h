#pragma once
// Where each activation buffer lives in act_memory (the chip's one activation memory): buffers
// in id order, each at the word after the previous one's last; valid bits likewise per pixel.
// The top's act_memory parameters and sim_config.json's host addresses both come from here.
#include <cstdint>
#include <vector>

#include "compile/program.h"

namespace pimhls::emit {

struct MemoryMap {
  std::vector<std::int64_t> base;        // per buffer id: first word
  std::vector<std::int64_t> pixel_base;  // per buffer id: first valid bit
  std::int64_t words = 0;
  std::int64_t pixels = 0;
};

// `held` (per buffer id; empty: every buffer) restricts the map to a subset, as a weight
// engine's input memory holds it: the other buffers get base 0 and take no words.
MemoryMap memory_map(const compile::Program& program, const std::vector<bool>& held = {});

}  // namespace pimhls::emit
