#pragma once
// Internal to compile/: the state shared by the passes of compile_design (buffers, engines,
// per-group sections) and the two code generators (weight units, vector nodes).
#include <map>
#include <vector>

#include "compile/compile.h"
#include "cost/stream_timing.h"

namespace pimhls::compile::detail {

// One engine's instructions for one layer group: configuration, then SYNC, then runs, DONE.
struct Section {
  std::vector<Instruction> config;  // before SYNC
  std::vector<Instruction> runs;    // after SYNC (SETs and RUNs)
  bool used = false;
};

struct Builder {
  const quant::QuantizedGraph& graph;
  const DesignInfo& design;
  const hw::Library& library;
  Program program;
  std::vector<ir::ValueId> root;                       // per value: the value whose buffer holds it
  std::map<ir::ValueId, int> value_buffer;             // root value -> buffer id
  std::map<int, int> psum_buffer;                      // unit id -> the psum buffer it writes
  std::vector<std::vector<Section>> sections;          // [engine][group]
  std::vector<int> weight_layer_nodes;                 // design layer index -> node index
  std::vector<int> unit_group;                         // unit -> group
  std::vector<std::vector<std::int64_t>> group_image;  // per group: off-chip words

  int buffer_of(ir::ValueId value) const;
  const Buffer& buffer(int id) const { return program.buffers.at(static_cast<std::size_t>(id)); }
};

// A weight unit in its group: registers, image segments, channel table (weight_unit.cpp).
// Returns the unit's write cycles (active rows * row write) and row write cycles.
struct UnitReload {
  std::int64_t write_cycles = 0;
  std::int64_t row_write = 0;
};
// `mapping` holds the copies of one configuration; when a unit's copies use several
// configurations, each class is its own engine and serves the vectors v with
// slot_lo <= v mod period < slot_hi.
using cost::VectorSlots;
// The vector slots of each configuration class of one unit's copies, in proportion to their
// throughput (copies / initiation interval); one class serves every vector.
std::vector<VectorSlots> vector_slots(const Builder& builder, int unit,
                                      const std::vector<MappingInfo>& classes);
// `stream_copies`: the copies whose arrays this class's off-chip segments write, in tile order
// (every copy of the unit with the class's array geometry, or none when an earlier class's
// segments already write them: the cells do not depend on the readout).
UnitReload compile_unit(Builder& builder, const GroupInfo& group, const MappingInfo& mapping,
                        int engine, const VectorSlots& slots,
                        const std::vector<CopyInfo>& stream_copies);

// A vector node (vector_node.cpp).
void compile_vector_node(Builder& builder, int node_index, int engine, int group);

// The buffer dimensions (C, H, W) of a value shape [1,C,H,W] or [1,K]; throws naming `where`.
void buffer_dims(const ir::Dims& shape, std::int64_t& c, std::int64_t& h, std::int64_t& w,
                 const std::string& where);

// The buffer of `value` as a reader sees it: the value's H and W, which may differ from the
// buffer's when they hold as many pixels (a Reshape between H and W moves no word of the
// pixel-major buffer: [C, 1, W] is [C, W, 1]). Throws naming `where` for other views.
Buffer buffer_view(const Builder& b, ir::ValueId value, const std::string& where);

}  // namespace pimhls::compile::detail
