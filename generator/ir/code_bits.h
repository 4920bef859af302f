#pragma once
// How many bits a value's codes have: the activations' width, or 16 for an operand of a
// subtraction (Sub of activations, a normalization's x - mean) that only Adds and
// GlobalAveragePools read. The difference is often far smaller than the operands (a map whose
// channels sit on large offsets, minus their means), and of 8-bit operand codes it would keep a
// few levels (the fast neural style network lost 6-8 dB of SQNR at every norm); vector engines
// read 32-bit words, and no table is indexed by these codes nor an array reads them
// bit-serially. Quantization gives the codes; the cost model sizes the buffers by them.
#include <algorithm>

#include "ir/graph.h"

namespace pimhls::ir {

inline constexpr int kSubtractedBits = 16;

inline int code_bits(const Graph& graph, ValueId id, int activation_bits) {
  if (graph.is_output(id)) return activation_bits;
  const std::vector<int> readers = graph.consumers(id);
  auto node_of = [&](int n) -> const Node& { return graph.nodes[static_cast<std::size_t>(n)]; };
  const bool subtracted = std::any_of(readers.begin(), readers.end(), [&](int n) {
    return node_of(n).op == Op::Add && node_of(n).subtract;
  });
  const bool vector_reads = std::all_of(readers.begin(), readers.end(), [&](int n) {
    return node_of(n).op == Op::GlobalAveragePool || node_of(n).op == Op::Add;
  });
  return subtracted && vector_reads ? std::max(activation_bits, kSubtractedBits) : activation_bits;
}

}  // namespace pimhls::ir
