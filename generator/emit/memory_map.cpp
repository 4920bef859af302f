#include "emit/memory_map.h"

#include "util/error.h"

namespace pimhls::emit {

MemoryMap memory_map(const compile::Program& program, const std::vector<bool>& held) {
  MemoryMap map;
  for (std::size_t i = 0; i < program.buffers.size(); ++i) {
    const compile::Buffer& buffer = program.buffers[i];
    if (buffer.id != static_cast<int>(i))
      fail("program: buffer '{}' has id {}, expected {}", buffer.tensor, buffer.id, i);
    const bool in_map = held.empty() || (i < held.size() && held[i]);
    map.base.push_back(in_map ? map.words : 0);
    map.pixel_base.push_back(in_map ? map.pixels : 0);
    if (!in_map) continue;
    map.words += buffer.elements();
    map.pixels += buffer.pixels();
  }
  return map;
}

}  // namespace pimhls::emit
