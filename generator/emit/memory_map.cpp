#include "emit/memory_map.h"

#include "util/error.h"

namespace pimhls::emit {

MemoryMap memory_map(const compile::Program& program) {
  MemoryMap map;
  for (std::size_t i = 0; i < program.buffers.size(); ++i) {
    const compile::Buffer& buffer = program.buffers[i];
    if (buffer.id != static_cast<int>(i))
      fail("program: buffer '{}' has id {}, expected {}", buffer.tensor, buffer.id, i);
    map.base.push_back(map.words);
    map.pixel_base.push_back(map.pixels);
    map.words += buffer.elements();
    map.pixels += buffer.pixels();
  }
  return map;
}

}  // namespace pimhls::emit
