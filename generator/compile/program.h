#pragma once
// A compiled design (docs/isa.md): the instruction streams of the global controller and of
// every engine, their data ROMs, the buffer map and the off-chip weight image. The compiler
// writes it (compile.h), the emulator runs it (emulate/emulate.h), write_program() stores it
// as ROM images and program.json for the RTL.
#include <cstdint>
#include <string>
#include <vector>

#include "compile/isa.h"
#include "ir/graph.h"

namespace pimhls::compile {

enum class BufferKind { Input, Activation, Psum };

struct Buffer {
  int id = 0;
  std::string tensor;  // the value name (psum buffers: "<layer>.psum<c>.<r>")
  BufferKind kind = BufferKind::Activation;
  ir::ValueId value = -1;  // the root value (the producer's output), -1 for psum buffers
  std::int64_t channels = 0, height = 1, width = 1;
  int bits = 8;
  bool is_signed = true;
  int writers = 1;  // units / Concat inputs that write every pixel
  std::int64_t pixels() const { return height * width; }
  std::int64_t elements() const { return channels * height * width; }
};

struct Engine {
  int id = 0;
  Controller kind = Controller::Weight;
  std::string name;   // "we3" / "ve5"
  int tile_set = -1;  // weight engines
  int node = -1;      // vector engines: the graph node index
  std::vector<Instruction> program;
  std::vector<std::uint64_t> data;  // data ROM
};

// The per-vector pipeline of one unit (cost::evaluate_layer on its tile configuration).
struct UnitStages {
  int unit = 0;
  std::string name;
  int group = 0;
  int engine = 0;
  int duplication = 1;
  std::int64_t load = 0, mvm = 0, shift_add = 0, reduce = 0, tree = 0, psum_noc = 0, output = 0,
               hops = 0;
  std::int64_t interval = 0, depth = 0;
  std::int64_t vectors = 0;
  std::int64_t design_start = 0, design_end = 0;  // design.json's schedule of the unit
};

struct GroupPlan {
  int id = 0;
  std::int64_t reload_words = 0;
  std::int64_t xfer_cycles = 0, write_cycles = 0, row_write = 0;
  std::int64_t reload_cycles = 0;  // max(xfer, write) + row_write
  std::int64_t design_reload_cycles = 0, design_compute_cycles = 0;
};

// A graph output: its on-chip buffer, and the operator the host applies after it, if any.
struct OutputInfo {
  ir::ValueId value = -1;    // the graph output
  ir::ValueId on_chip = -1;  // the value read from the buffer (the host operator's input, or value)
  int buffer = 0;
  int host_node = -1;   // node index of the host's Softmax, LogSoftmax or ArgMax, or -1
  std::string host_op;  // its operator ("" when none), for program.json and sim_config.json
};

struct Program {
  std::string network;
  std::string tool_version;
  std::int64_t offchip_bits_per_cycle = 64;
  bool measure_reloads = false;  // several groups: MARK before the first RELOAD
  std::vector<Instruction> global;
  std::vector<Engine> engines;  // weight engines (by tile set) first, then vector engines
  std::vector<std::uint64_t> offchip;
  std::vector<Buffer> buffers;
  std::vector<int> input_buffers;  // per graph input
  std::vector<OutputInfo> outputs;
  std::vector<GroupPlan> groups;
  std::vector<UnitStages> units;
  std::int64_t design_latency_cycles = 0;
  // Of those, the activation spills (design.json groups[].spill_cycles): a chip whose global
  // buffer is the modeled size writes the excess out and back; the RTL's act_memory holds every
  // tensor, so the RTL and the emulator are compared with the rest (comparable_estimate()).
  std::int64_t design_spill_cycles = 0;
  std::int64_t comparable_estimate() const { return design_latency_cycles - design_spill_cycles; }
  // FNV-1a 64 of every ROM word and the off-chip image (the files' header).
  std::uint64_t hash() const;
};

}  // namespace pimhls::compile
