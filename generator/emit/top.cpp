#include "emit/top.h"

#include <fmt/format.h>

#include <algorithm>

#include "compile/reload_port.h"
#include "compile/rom_file.h"
#include "cost/cycles.h"
#include "emit/memory_map.h"
#include "emit/render.h"
#include "emit/sim_config.h"
#include "util/error.h"

namespace pimhls::emit {
namespace {

using compile::Controller;
using compile::Opcode;
namespace ereg = compile::ereg;
using Registers = std::map<std::uint8_t, std::int64_t>;

// $clog2(n), at least 1: the width of an index below n.
int index_bits(std::int64_t n) {
  int bits = 1;
  while ((std::int64_t{1} << bits) < n) ++bits;
  return bits;
}

// A packed vector of 32-bit fields, field b = values[b]: {32'd<last>, ..., 32'd<first>}.
std::string packed_fields(const std::vector<std::int64_t>& values) {
  std::string text = "{";
  for (std::size_t i = values.size(); i-- > 0;)
    text += fmt::format("32'd{}{}", values[i], i == 0 ? "}" : ", ");
  return text;
}

std::string packed_bits(const std::vector<bool>& bits) {
  std::string text = fmt::format("{}'b", bits.size());
  for (std::size_t i = bits.size(); i-- > 0;) text += bits[i] ? '1' : '0';
  return text;
}

std::int64_t depth(std::size_t words) { return std::max<std::int64_t>(1, words); }

std::int64_t reg(const Registers& regs, std::uint8_t id) {
  const auto it = regs.find(id);
  return it == regs.end() ? 0 : it->second;
}

// The largest value of a register over the RUNs, at least `floor`.
std::int64_t max_reg(const std::vector<Registers>& runs, std::uint8_t id, std::int64_t floor = 1) {
  std::int64_t value = floor;
  for (const Registers& regs : runs) value = std::max(value, reg(regs, id));
  return value;
}

// A flattened Gemm reads its whole input as one window: the engine treats such windows as
// "every input pixel", so they do not size the window registers.
bool whole_input_window(const Registers& regs) {
  return reg(regs, ereg::kKh) == reg(regs, ereg::kInH) &&
         reg(regs, ereg::kKw) == reg(regs, ereg::kInW) && reg(regs, ereg::kOutH) == 1 &&
         reg(regs, ereg::kOutW) == 1 && reg(regs, ereg::kInH) * reg(regs, ereg::kInW) > 1;
}

struct Lanes {
  std::int64_t rd = 0, vq = 0, wr_ports = 0, out_lanes = 1;
};

using Params = std::vector<std::pair<std::string, std::string>>;

TemplateData params_data(const Params& params) {
  std::vector<TemplateData> items;
  for (std::size_t i = 0; i < params.size(); ++i) {
    TemplateData item;
    item.set("key", params[i].first);
    item.set("value", params[i].second);
    item.set("sep", i + 1 < params.size() ? "," : "");
    items.push_back(item);
  }
  return list_of(items);
}

std::string text(std::int64_t value) { return std::to_string(value); }
std::string file(const std::string& name) { return "\"" + name + "\""; }

// engine_vector: one output pixel per write; MAX_KH x MAX_KW taps (a GAP's window is its whole
// input plane) plus the second operand, CH_LANES channels each.
Params vector_params(const compile::Engine& engine, const std::vector<Registers>& runs,
                     Lanes& lanes) {
  std::int64_t kh = 1, kw = 1;
  for (const Registers& regs : runs) {
    const bool gap = reg(regs, ereg::kOp) == static_cast<int>(compile::VectorOp::Gap);
    kh = std::max(kh, reg(regs, gap ? ereg::kInH : ereg::kKh));
    kw = std::max(kw, reg(regs, gap ? ereg::kInW : ereg::kKw));
  }
  // Channel lanes: the output channels, or the channels a CMAX reduces.
  std::int64_t channels = max_reg(runs, ereg::kOutCCnt);
  for (const Registers& regs : runs)
    if (reg(regs, ereg::kOp) == static_cast<int>(compile::VectorOp::ChannelMax))
      channels = std::max(channels, reg(regs, ereg::kInC));
  // A CONCAT RUN reads IN_COUNT inputs (each one valid query and its own lanes' buffer).
  std::int64_t inputs = 1;
  bool lut = false, mul = false, resample = false;
  for (const Registers& regs : runs) {
    if (reg(regs, ereg::kOp) == static_cast<int>(compile::VectorOp::Concat))
      inputs = std::max(inputs, reg(regs, ereg::kInCount));
    lut = lut || reg(regs, ereg::kOp) == static_cast<int>(compile::VectorOp::Lut);
    mul = mul || reg(regs, ereg::kOp) == static_cast<int>(compile::VectorOp::Mul);
    resample = resample || reg(regs, ereg::kOp) == static_cast<int>(compile::VectorOp::Resample);
  }
  lanes.rd = (kh * kw + 1) * channels;
  lanes.vq = kh * kw + 1 + inputs;
  lanes.wr_ports = 1;
  lanes.out_lanes = channels;
  return {{"ROM_DEPTH", text(depth(engine.program.size()))},
          {"PROGRAM_FILE", file("rom/" + engine.name + ".hex")},
          {"DATA_DEPTH", text(depth(engine.data.size()))},
          {"DATA_FILE", file("rom/" + engine.name + "_data.hex")},
          {"MAX_KH", text(kh)},
          {"MAX_KW", text(kw)},
          {"CH_LANES", text(channels)},
          {"MAX_INPUTS", text(inputs)},
          {"HAS_LUT", lut ? "1'b1" : "1'b0"},
          {"HAS_MUL", mul ? "1'b1" : "1'b0"},
          {"HAS_RESAMPLE", resample ? "1'b1" : "1'b0"},
          {"BUF_BITS", "BufBits"},
          {"PIX_BITS", "PixBits"},
          {"CH_BITS", "ChBits"}};
}

const hw::TileType& tile_type(const hw::Library& library, const std::string& name) {
  return library.tile_types.at(static_cast<std::size_t>(library.tile_type_index(name)));
}

// The tiles whose arrays a weight engine drives: its own tile set plus every tile its RUNs'
// copies cover (a configuration class spanning several tile sets of one configuration is run by
// the engine of the lowest one, docs/isa.md; the others are idle in that group); tiles of other
// configurations inside that range get no arrays. An engine that never RUNs drives no arrays
// (TILES = 0). Two engines that drive one tile (in different groups)
// each instantiate its arrays; both receive every reload write, so their contents are equal.
struct TileRange {
  std::int64_t first = 0, count = 0;
  std::vector<std::int64_t> foreign;  // tiles (from first) of another configuration
};
// FOREIGN_TILES: a 1024-bit parameter, bit t = tile first + t.
std::string foreign_tiles(const TileRange& range) {
  if (range.foreign.empty()) return "'0";
  std::string bits(1024, '0');
  for (const std::int64_t t : range.foreign) bits[static_cast<std::size_t>(1023 - t)] = '1';
  const std::size_t one = bits.find('1');
  return "1024'b" + bits.substr(one);
}
TileRange driven_tiles(const compile::Engine& engine, const std::vector<Registers>& runs,
                       const compile::DesignInfo& design, const compile::TileSetInfo& set) {
  if (runs.empty()) return {set.first_tile, 0, {}};
  std::int64_t first = set.first_tile, end = set.first_tile + set.tiles;
  for (const Registers& regs : runs) {
    const std::int64_t per_tile = std::max<std::int64_t>(1, reg(regs, ereg::kArraysPerTile));
    const std::int64_t arrays =
        reg(regs, ereg::kGroups) * reg(regs, ereg::kRowBlocks) * reg(regs, ereg::kColBlocks);
    const std::int64_t tiles = cost::ceil_div(std::max<std::int64_t>(1, arrays), per_tile);
    for (std::int64_t c = 0; c < reg(regs, ereg::kCopies); ++c) {
      const std::size_t word = static_cast<std::size_t>(reg(regs, ereg::kCopyTable) + c);
      if (word >= engine.data.size())
        fail("program: {}'s copy table ends past its data ROM", engine.name);
      const auto tile = static_cast<std::int64_t>(engine.data[word] & 0xffffffffu);
      first = std::min(first, tile);
      end = std::max(end, tile + tiles);
    }
  }
  // Tiles of the range on tile sets of another configuration get no arrays (FOREIGN_TILES).
  TileRange range{first, end - first, {}};
  for (const compile::TileSetInfo& other : design.tile_sets) {
    const bool same = compile::same_configuration(other, set);
    for (std::int64_t t = other.first_tile; t < other.first_tile + other.tiles; ++t)
      if (!same && t >= first && t < end) range.foreign.push_back(t - first);
  }
  if (!range.foreign.empty() && range.foreign.back() >= 1024)
    fail("program: {} drives tiles {}..{}: more than 1024 tiles in one engine's range", engine.name,
         first, end - 1);
  return range;
}

// engine_weight: the arrays of the tiles it drives, sized for the largest unit it runs.
Params weight_params(const compile::Engine& engine, const std::vector<Registers>& runs,
                     const compile::DesignInfo& design, const hw::Library& library, Lanes& lanes) {
  if (engine.tile_set < 0 || engine.tile_set >= static_cast<int>(design.tile_sets.size()))
    fail("program: weight engine '{}' has no tile set {} in {}", engine.name, engine.tile_set,
         design.source);
  const compile::TileSetInfo& set = design.tile_sets[static_cast<std::size_t>(engine.tile_set)];
  const hw::TileType& tile = tile_type(library, set.technology);
  const double clock = library.chip.clock_ghz;
  // The physical array of the tile set; from its first RUN (every RUN uses the same arrays).
  compile::Arith arith;
  std::int64_t input_bits = 1, parallel_rows = set.array_rows;
  if (!runs.empty()) {
    arith = compile::Arith::unpack(reg(runs.front(), ereg::kArith));
    parallel_rows = reg(runs.front(), ereg::kParallelRows);
  } else {
    arith.bits_per_cell = tile.bits_per_cell;
    arith.dac_bits = tile.dac.bits;
    arith.adc_bits = std::max(1, tile.readout.bits);
  }
  std::int64_t kh = 1, kw = 1;
  for (const Registers& regs : runs) {
    input_bits = std::max<std::int64_t>(input_bits,
                                        compile::Arith::unpack(reg(regs, ereg::kArith)).input_bits);
    if (whole_input_window(regs)) continue;
    kh = std::max(kh, reg(regs, ereg::kKh));
    kw = std::max(kw, reg(regs, ereg::kKw));
  }
  // Row arrays per copy: copy c gathers for the RUNs that have a copy c (one RUN with many row
  // arrays and another with many copies do not make every copy wide).
  const std::int64_t copies = max_reg(runs, ereg::kCopies);
  std::vector<std::int64_t> copy_row_arrays(static_cast<std::size_t>(copies), 1);
  for (const Registers& regs : runs)
    for (std::int64_t c = 0; c < std::min(copies, reg(regs, ereg::kCopies)); ++c) {
      std::int64_t& most = copy_row_arrays[static_cast<std::size_t>(c)];
      most = std::max(most, reg(regs, ereg::kGroups) * reg(regs, ereg::kRowBlocks));
    }
  const std::int64_t row_arrays = *std::max_element(copy_row_arrays.begin(), copy_row_arrays.end());
  // (at most the array's rows: more lanes would load nothing, and cost gates in every gather)
  const std::int64_t load_lanes = std::min<std::int64_t>(
      set.array_rows, std::max<std::int64_t>(1, cost::ceil_div(tile.input_bus_bits, input_bits)));
  const std::int64_t out_lanes = max_reg(runs, ereg::kOutCCnt);
  // Result slots per copy: the vectors of a copy whose pixel is not yet written when the next
  // one starts (starts are >= II apart, each pixel is written DEPTH - 1 cycles after its start).
  std::int64_t slots = 2;
  for (const Registers& regs : runs)
    slots = std::max(
        slots, (reg(regs, ereg::kDepth) - 1) / std::max<std::int64_t>(1, reg(regs, ereg::kIi)) + 2);
  const TileRange tiles = driven_tiles(engine, runs, design, set);
  lanes.rd = 0;
  for (const std::int64_t copy_arrays : copy_row_arrays)
    lanes.rd += copy_arrays * load_lanes + out_lanes;
  lanes.vq = copies * (kh * kw + 1);
  lanes.wr_ports = copies;
  lanes.out_lanes = out_lanes;
  return {
      {"ROM_DEPTH", text(depth(engine.program.size()))},
      {"PROGRAM_FILE", file("rom/" + engine.name + ".hex")},
      {"DATA_DEPTH", text(depth(engine.data.size()))},
      {"DATA_FILE", file("rom/" + engine.name + "_data.hex")},
      {"FIRST_TILE", text(tiles.first)},
      {"TILES", text(tiles.count)},
      {"FOREIGN_TILES", foreign_tiles(tiles)},
      {"ARRAYS_PER_TILE", text(tile.arrays_per_tile)},
      {"ROWS", text(set.array_rows)},
      {"COLS", text(set.array_cols)},
      {"BITS_PER_CELL", text(arith.bits_per_cell)},
      {"DAC_BITS", text(arith.dac_bits)},
      {"INPUT_BITS", text(input_bits)},
      {"PARALLEL_ROWS", text(parallel_rows)},
      {"ADCS", text(set.adcs_per_array)},
      {"ADC_BITS", text(arith.adc_bits)},
      {"ADC_MODE", text(arith.adc)},
      {"READ_CYCLES", text(cost::ns_to_cycles(tile.dac.latency_ns + tile.read_latency_ns, clock))},
      {"CONV_CYCLES",
       text(std::max<std::int64_t>(1, cost::ns_to_cycles(tile.readout.latency_ns, clock)))},
      {"WRITE_CYCLES",
       text(std::max<std::int64_t>(1, cost::ns_to_cycles(tile.write_latency_ns_per_row, clock)))},
      {"LOAD_LANES", text(load_lanes)},
      {"MAX_COPIES", text(copies)},
      {"MAX_ROW_ARRAYS", text(row_arrays)},
      {"COPY_ROW_ARRAYS", packed_fields(copy_row_arrays)},
      {"RD_LANES", text(lanes.rd)},
      {"MAX_ROW_BLOCKS", text(max_reg(runs, ereg::kRowBlocks))},
      {"OUT_LANES", text(out_lanes)},
      {"SLOTS", text(slots)},
      {"MAX_KH", text(kh)},
      {"MAX_KW", text(kw)},
      {"BUF_BITS", "BufBits"},
      {"PIX_BITS", "PixBits"},
      {"CH_BITS", "ChBits"},
      {"RELOAD_LANES", "ReloadLanes"},
      {"ROW_BITS", "RowBits"},
      {"CHIP_TILES", "ChipTiles"}};
}

// A weight engine's input memory: the buffers its RUNs read (input and partial sums), one after
// another in id order, as act_memory's parameters (docs/rtl.md, "Input memories").
void set_input_memory(const std::vector<Registers>& runs, const compile::Program& program,
                      TemplateData& data) {
  std::vector<bool> held(program.buffers.size(), false);
  for (const Registers& regs : runs)
    for (const std::uint8_t id : {ereg::kInBuf, ereg::kPsumInBuf}) {
      const std::int64_t buffer = reg(regs, id);
      if (id == ereg::kPsumInBuf && buffer < 0) continue;  // no partial sums
      if (buffer < 0 || buffer >= static_cast<std::int64_t>(held.size()))
        fail("program: a RUN reads buffer {}, which does not exist", buffer);
      held[static_cast<std::size_t>(buffer)] = true;
    }
  std::string list;
  for (std::size_t b = 0; b < held.size(); ++b)
    if (held[b]) list += (list.empty() ? "" : ", ") + std::to_string(b);
  const MemoryMap map = memory_map(program, held);  // (one entry per buffer: never empty)
  data.set("held_list", list.empty() ? std::string("none") : list);
  data.set("in_words", text(std::max<std::int64_t>(1, map.words)));
  data.set("in_pixels", text(std::max<std::int64_t>(1, map.pixels)));
  data.set("in_base", packed_fields(map.base));
  data.set("in_pixel_base", packed_fields(map.pixel_base));
  data.set("in_held", packed_bits(held));
}

}  // namespace

std::int64_t offchip_memory_lanes(std::int64_t reload_lanes, std::int64_t row_bits) {
  return 2 + reload_lanes * (cost::ceil_div(row_bits, 64) + 1);
}

std::vector<Registers> run_registers(const compile::Engine& engine) {
  std::vector<Registers> runs;
  Registers regs;
  for (const compile::Instruction& instruction : engine.program) {
    if (instruction.op == Opcode::Set) regs[instruction.reg] = instruction.imm;
    if (instruction.op == Opcode::Run) runs.push_back(regs);
  }
  return runs;
}

TopNetlist top_netlist(const compile::Program& program, const compile::DesignInfo& design,
                       const hw::Library& library, const std::string& header,
                       const std::string& sim_header) {
  if (program.buffers.empty()) fail("program of '{}': no activation buffers", program.network);
  const MemoryMap map = memory_map(program);
  std::int64_t max_pixels = 1, max_channels = 1;
  std::vector<std::int64_t> pixels, channels, writers;
  std::vector<bool> preloaded;
  for (const compile::Buffer& buffer : program.buffers) {
    max_pixels = std::max(max_pixels, buffer.pixels());
    max_channels = std::max(max_channels, buffer.channels);
    pixels.push_back(buffer.pixels());
    channels.push_back(buffer.channels);
    writers.push_back(buffer.writers);
    preloaded.push_back(buffer.kind == compile::BufferKind::Input);
  }
  // The reload bus carries the widest array row of the chip (cells packed densely), on the
  // rows the bandwidth pays per cycle plus one (docs/rtl.md, offchip_port).
  const std::int64_t row_bits = compile::reload_row_bits(program, design, library);
  const compile::ReloadShape reload = compile::reload_shape(program);
  const std::int64_t lanes = compile::reload_lanes(reload, program.offchip_bits_per_cycle);
  std::int64_t chip_tiles = 1;
  for (const compile::TileSetInfo& set : design.tile_sets)
    chip_tiles = std::max(chip_tiles, set.first_tile + set.tiles);

  TopNetlist top;
  top.modules = {"global_controller", "act_memory", "offchip_port"};
  std::int64_t rd = 0, vq = 0, wr = 0, wr_lanes = 1;
  int weight_slots = 0, vector_count = 0;
  std::vector<TemplateData> engines, late_ties;
  for (std::size_t i = 0; i < program.engines.size(); ++i) {
    const compile::Engine& engine = program.engines[i];
    if (engine.id != static_cast<int>(i))
      fail("program: engine '{}' has id {}, expected {}", engine.name, engine.id, i);
    const bool weight = engine.kind == Controller::Weight;
    const std::vector<Registers> runs = run_registers(engine);
    Lanes lanes;
    const Params params = weight ? weight_params(engine, runs, design, library, lanes)
                                 : vector_params(engine, runs, lanes);
    TemplateData data;
    data.set("name", engine.name);
    data.set("id", text(engine.id));
    data.set("module", weight ? "engine_weight" : "engine_vector");
    data.set("comment", weight ? fmt::format("tile set {}", engine.tile_set)
                               : fmt::format("graph node {}", engine.node));
    data.set("params", params_data(params));
    data.set("weight", weight);
    data.set("slot", text(weight_slots));
    data.set("rd", text(rd));
    data.set("rd_n", text(lanes.rd));
    data.set("rd_end", text(rd + lanes.rd - 1));
    data.set("vq", text(vq));
    data.set("vq_n", text(lanes.vq));
    data.set("vq_end", text(vq + lanes.vq - 1));
    data.set("wr", text(wr));
    data.set("wr_n", text(lanes.wr_ports));
    data.set("wr_end", text(wr + lanes.wr_ports - 1));
    data.set("out_lanes", text(lanes.out_lanes));
    // A weight engine reads its own input memory; vector engines share the chip memory's lanes.
    if (weight) {
      set_input_memory(runs, program, data);
    } else {
      rd += lanes.rd;
      vq += lanes.vq;
    }
    wr += lanes.wr_ports;
    wr_lanes = std::max(wr_lanes, lanes.out_lanes);
    if (weight) {
      ++weight_slots;
      if (top.modules.size() < 4 || top.modules[3] != "engine_weight")
        top.modules.push_back("engine_weight");
    } else {
      ++vector_count;
      TemplateData tie;
      tie.set("id", text(engine.id));
      tie.set("name", engine.name);
      late_ties.push_back(tie);
    }
    engines.push_back(data);
  }
  if (vector_count > 0) top.modules.push_back("engine_vector");
  std::sort(top.modules.begin(), top.modules.end());
  top.modules.erase(std::unique(top.modules.begin(), top.modules.end()), top.modules.end());

  TemplateData data;
  data.set("header", header);
  data.set("network", program.network);
  data.set("weight_engine_count", text(weight_slots));
  data.set("vector_engine_count", text(vector_count));
  data.set("weight_engine_slots", text(std::max(1, weight_slots)));
  data.set("no_weight_engines", weight_slots == 0);
  data.set("no_vector_engines", vector_count == 0);
  data.set("buffer_count", text(static_cast<std::int64_t>(program.buffers.size())));
  data.set("engine_count", text(std::max<std::int64_t>(1, program.engines.size())));
  data.set("offchip_lanes", text(offchip_memory_lanes(lanes, row_bits)));
  data.set("offchip_bits_per_cycle", text(program.offchip_bits_per_cycle));
  data.set("image_words", text(std::max<std::int64_t>(1, program.offchip.size())));
  data.set("max_segments", text(reload.max_segments));
  data.set("host_addr_bits", text(map.words > 1 ? index_bits(map.words) : 1));
  data.set("buf_bits", text(index_bits(static_cast<std::int64_t>(program.buffers.size()))));
  data.set("pix_bits", text(index_bits(max_pixels + 1)));
  data.set("ch_bits", text(index_bits(max_channels + 1)));
  data.set("rd_lanes", text(std::max<std::int64_t>(1, rd)));
  data.set("vq_lanes", text(std::max<std::int64_t>(1, vq)));
  data.set("wr_ports", text(std::max<std::int64_t>(1, wr)));
  data.set("wr_lanes", text(wr_lanes));
  data.set("reload_lanes", text(lanes));
  data.set("row_bits", text(row_bits));
  data.set("chip_tiles", text(chip_tiles));
  data.set("global_rom_depth", text(depth(program.global.size())));
  data.set("memory_words", text(std::max<std::int64_t>(1, map.words)));
  data.set("memory_pixels", text(std::max<std::int64_t>(1, map.pixels)));
  data.set("buf_base", packed_fields(map.base));
  data.set("buf_pixel_base", packed_fields(map.pixel_base));
  data.set("buf_pixels", packed_fields(pixels));
  data.set("buf_channels", packed_fields(channels));
  data.set("buf_writers", packed_fields(writers));
  data.set("buf_preloaded", packed_bits(preloaded));
  data.set("engines", list_of(engines));
  data.set("late_ties", list_of(late_ties));
  data.set("offchip_port", render("offchip_port.sv.mustache", data));
  top.text = render("pimhls_top.sv.mustache", data);
  data.set("header", sim_header);
  data.set("offchip_image", compile::kOffchipImage);
  top.sim_text = render("pimhls_sim_top.sv.mustache", data);
  return top;
}

}  // namespace pimhls::emit
