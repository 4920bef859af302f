// One weight unit in its group: the engine registers, the off-chip image segments of its arrays
// and its channel table (docs/isa.md, "Weight engine" and "Off-chip weight image").
#include <algorithm>
#include <cmath>

#include "compile/builder.h"
#include "cost/copy_run.h"
#include "cost/cycles.h"
#include "cost/layer_cost.h"
#include "cost/stream_timing.h"
#include "quant/adc.h"
#include "quant/array_params.h"
#include "quant/group_packing.h"
#include "util/error.h"

namespace pimhls::compile::detail {
namespace {

int encoding_code(quant::WeightEncoding e) {
  switch (e) {
    case quant::WeightEncoding::TwosComplement: return 0;
    case quant::WeightEncoding::Offset: return 1;
    case quant::WeightEncoding::OffsetReference: return 2;
  }
  return 0;
}

int adc_code(quant::AdcMode m) {
  switch (m) {
    case quant::AdcMode::Clip: return 0;
    case quant::AdcMode::Scale: return 1;
    case quant::AdcMode::Lossless: return 2;
  }
  return 0;
}

// The stored pattern of a weight code (docs/analog-model.md, section 2).
std::int64_t stored_pattern(std::int64_t w, const quant::ArrayParams& params, int wb) {
  const std::int64_t mask = (std::int64_t{1} << wb) - 1;
  if (params.encoding == quant::WeightEncoding::TwosComplement) return w & mask;
  return w + (std::int64_t{1} << (wb - 1));
}

// As the optimizer costed the unit: a piece's pinned packing, else as many groups per array as
// fit the configuration of the copy (copies on arrays of another size pack otherwise).
cost::LayerShape unit_shape(const UnitInfo& unit) {
  cost::LayerShape shape;
  shape.groups_per_array = unit.groups_per_array;
  shape.in_channels = unit.in_channels;
  shape.kernel_area = unit.kernel_area;
  shape.out_channels = unit.out_channels;
  shape.groups = unit.groups;
  shape.vectors = unit.vectors;
  shape.lead_vectors = unit.lead_vectors;
  return shape;
}

}  // namespace

std::vector<VectorSlots> vector_slots(const Builder& b, int unit_id,
                                      const std::vector<MappingInfo>& classes) {
  const UnitInfo& unit = b.design.units.at(static_cast<std::size_t>(unit_id));
  std::vector<std::pair<std::int64_t, std::int64_t>> throughput;  // copies, interval
  for (const MappingInfo& m : classes) {
    const TileSetInfo& t =
        b.design.tile_sets.at(static_cast<std::size_t>(m.copies.at(0).tile_sets.at(0)));
    const cost::TileConfig config{b.library.tile_type_index(t.technology), t.array_rows,
                                  t.array_cols, t.adcs_per_array};
    const cost::LayerCost lc =
        cost::evaluate_layer(unit_shape(unit), b.library, config, m.duplication);
    if (!lc.feasible())
      fail("{}: unit {} is infeasible on tile set {}", b.design.source, unit_id, t.id);
    throughput.push_back({m.duplication, lc.timing.interval_cycles});
  }
  return cost::vector_slots(unit.vectors, throughput);
}

UnitReload compile_unit(Builder& b, const GroupInfo& group, const MappingInfo& mapping,
                        int engine_id, const VectorSlots& slots,
                        const std::vector<CopyInfo>& stream_copies) {
  const DesignInfo& d = b.design;
  const UnitInfo& unit = d.units.at(static_cast<std::size_t>(mapping.unit));
  const LayerInfo& layer = d.layers.at(static_cast<std::size_t>(unit.layer));
  const int node_index = b.weight_layer_nodes.at(static_cast<std::size_t>(unit.layer));
  const ir::Node& node = b.graph.graph.nodes[static_cast<std::size_t>(node_index)];
  const quant::QuantNode& qn = b.graph.nodes[static_cast<std::size_t>(node_index)];
  const std::string where = fmt::format("{}: unit {} ('{}')", d.source, unit.id, unit.name);
  const TileSetInfo& tile_set = d.tile_sets.at(static_cast<std::size_t>(engine_id));
  const int tile_type = b.library.tile_type_index(tile_set.technology);
  if (tile_type < 0)
    fail("{}: technology '{}' is not a tile type of the library", where, tile_set.technology);
  const hw::TileType& tt = b.library.tile_types[static_cast<std::size_t>(tile_type)];

  // Copies: equal tiles, one configuration.
  const std::vector<CopyInfo>& copies = mapping.copies;
  if (copies.empty() || static_cast<int>(copies.size()) != mapping.duplication)
    fail("{}: {} copies listed for duplication {}", where, copies.size(), mapping.duplication);
  for (const CopyInfo& copy : copies) {
    if (copy.tiles != copies[0].tiles)
      fail("{}: copies of unequal size; not supported by the RTL yet", where);
    for (int s : copy.tile_sets) {
      if (!same_configuration(d.tile_sets.at(static_cast<std::size_t>(s)), tile_set))
        fail("{}: a copy spans tile sets of different configurations", where);
    }
  }
  // The stream's copies in runs at an even tile distance: a run shares one stream (the
  // segment's copies/stride: the port writes a row to all its tiles at once).
  std::vector<cost::CopyRun> runs;
  for (const CopyInfo& copy : stream_copies)
    if (runs.empty() || !runs.back().extend(copy.first_tile)) runs.push_back({copy.first_tile});

  // Geometry of the gather.
  // A Conv reads its input's view of the buffer; a Gemm the buffer whole (one window).
  const Buffer in = node.op == ir::Op::Conv ? buffer_view(b, node.inputs.at(0), where)
                                            : b.buffer(b.buffer_of(node.inputs.at(0)));
  const ir::Dims& in_shape = b.graph.graph.shape(node.inputs.at(0));
  const ir::Dims& out_shape = b.graph.graph.shape(node.output);
  std::int64_t kh = 1, kw = 1, sh = 1, sw = 1, pt = 0, pl = 0, dh = 1, dw = 1, out_h = 1, out_w = 1,
               layer_groups = 1, cin_g = 0, k2 = 1, taps = 1;
  const std::int64_t cout = node.weight.shape.at(0);
  if (node.op == ir::Op::Conv) {
    if (in_shape.size() != 4)
      fail("{}: Conv input {} is not a map [1, C, H, W]; not supported by the RTL yet", where,
           ir::format_dims(in_shape));
    const ir::Window& win = node.window;
    kh = win.kernel_h;
    kw = win.kernel_w;
    sh = win.stride_h;
    sw = win.stride_w;
    pt = win.pad_top;
    pl = win.pad_left;
    dh = win.dilation_h;
    dw = win.dilation_w;
    out_h = out_shape.at(2);
    out_w = out_shape.at(3);
    layer_groups = win.group;
    cin_g = node.weight.shape.at(1);
    k2 = kh * kw;
    taps = k2;
  } else {
    const std::int64_t k = node.weight.shape.at(1);
    if (ir::element_count(in_shape) != k)
      fail("{}: Gemm with {} input rows; only one (M = 1) is supported by the RTL", where,
           ir::element_count(in_shape) / std::max<std::int64_t>(k, 1));
    if (in.elements() != k) fail("{}: Gemm input does not match its buffer", where);
    kh = in.height;  // the flattened [C, H, W] tensor is one window
    kw = in.width;
    cin_g = in.channels;
    k2 = kh * kw;
    taps = 1;  // the analog model maps Gemm rows without kernels
  }
  // Timing and packing: the cost model's per-vector pipeline for one copy of this unit, as the
  // optimizer times it (opt/unit_cost.h: a copy's outputs travel its own tiles' NoC distance).
  const cost::LayerShape shape = unit_shape(unit);
  const cost::TileConfig config{tile_type, tile_set.array_rows, tile_set.array_cols,
                                tile_set.adcs_per_array};
  const cost::LayerCost lc = cost::evaluate_layer(shape, b.library, config, 1);
  if (!lc.feasible()) fail("{}: infeasible on its tiles: {}", where, lc.infeasible);

  // Packed groups (quant/group_packing.h): from here on a pack is one group of the layer, with
  // block-diagonal weights; the engine's registers and the image see only packs.
  const std::int64_t packing = lc.mapping.groups_per_array;
  std::span<const std::int32_t> weights = qn.weight;
  std::vector<std::int32_t> packed_weights;
  std::int64_t unit_in_channels = unit.in_channels;
  if (packing != 1) {
    if (packing < 1 || layer_groups % packing != 0 || unit.groups % packing != 0 ||
        unit.in_channel_offset != 0 || unit.in_channels != cin_g)
      fail("{}: groups_per_array = {} does not divide the piece's {} groups of {} inputs", where,
           packing, unit.groups, unit.in_channels);
    packed_weights = quant::pack_group_weights(qn.weight, layer_groups, cout / layer_groups,
                                               cin_g * k2, packing);
    weights = packed_weights;
    layer_groups /= packing;
    cin_g *= packing;
    unit_in_channels = cin_g;
  }
  const std::int64_t layer_rows = cin_g * k2;  // K of the layer, per group
  const std::int64_t cout_g = cout / layer_groups;
  const std::int64_t unit_groups = unit.groups / packing;
  if (unit_groups < 1 || unit.out_channels % unit_groups != 0)
    fail("{}: {} output channels in {} groups", where, unit.out_channels, unit_groups);
  const std::int64_t cout_gu = unit.out_channels / unit_groups;
  const std::int64_t first_group = unit.out_channel_offset / cout_g;
  const std::int64_t within = unit.out_channel_offset - first_group * cout_g;
  if (unit_groups > 1 && within != 0) fail("{}: a grouped piece must hold whole groups", where);
  // Input channels of the piece (design: per group, in units of the layer's K for a Gemm).
  std::int64_t in_off = unit.in_channel_offset, in_cnt = unit_in_channels;
  if (node.op == ir::Op::Gemm) {
    if (in_off % k2 != 0 || in_cnt % k2 != 0)
      fail(
          "{}: Gemm row piece not aligned to the flattened input's channels; not supported by "
          "the RTL yet",
          where);
    in_off /= k2;
    in_cnt /= k2;
  }
  const std::int64_t rows = in_cnt * k2;  // the piece's matrix rows per group

  // Arrays.
  quant::ArrayParams params = layer.array;
  params.rows = tile_set.array_rows;
  params.cols = tile_set.array_cols;
  params.parallel_rows = std::min(tt.parallel_rows, tile_set.array_rows);
  const int wb = b.graph.config.weight_bits;
  quant::validate(params, wb, where);
  const quant::QuantParams& in_q = b.graph.values.at(static_cast<std::size_t>(node.inputs.at(0)));
  const std::vector<quant::WeightSlice> slices = quant::weight_slices(params, wb);
  const std::int64_t slice_count = static_cast<std::int64_t>(slices.size());
  const std::int64_t wpa = quant::weights_per_array(params, wb);
  const bool reference = quant::has_reference_column(params);
  std::int64_t rows_per_array = params.rows;
  if (params.whole_kernels && taps <= params.rows) rows_per_array = (params.rows / taps) * taps;
  const std::vector<quant::RowBlock> blocks = quant::row_blocks(params, rows, taps);
  std::int64_t row_blocks = 0, largest_block = 0;
  for (const quant::RowBlock& block : blocks) {
    largest_block = std::max(largest_block, block.rows);
    if (block.array != block.first_row / rows_per_array)
      fail("{}: row block at row {} is not in array {}", where, block.first_row,
           block.first_row / rows_per_array);
    row_blocks = std::max(row_blocks, block.array + 1);
  }
  const std::int64_t col_blocks = cost::ceil_div(cout_gu, wpa);
  const std::int64_t arrays = unit_groups * row_blocks * col_blocks;
  const std::int64_t arrays_per_tile = tt.arrays_per_tile;
  const std::int64_t row_write =
      cost::ns_to_cycles(tt.write_latency_ns_per_row, b.library.chip.clock_ghz);
  if (arrays > copies[0].tiles * arrays_per_tile)
    fail(
        "{}: {} arrays per copy do not fit its {} tiles ({} arrays each); not supported by the "
        "RTL yet",
        where, arrays, copies[0].tiles, arrays_per_tile);

  if (out_h * out_w != unit.vectors)
    fail("{}: {} output pixels but {} vectors in the design", where, out_h * out_w, unit.vectors);

  UnitStages stages;
  stages.unit = unit.id;
  stages.name = unit.name;
  stages.group = group.id;
  stages.engine = engine_id;
  stages.duplication = mapping.duplication;
  const cost::Timing& t = lc.timing;
  stages.load = t.load_cycles;
  stages.mvm = t.mvm_cycles;
  stages.shift_add = tt.shift_add_cycles;
  stages.reduce = t.reduce_cycles;
  stages.psum_noc = t.psum_noc_cycles;
  stages.output = t.output_cycles;
  stages.hops = t.hops * b.library.chip.noc.hop_latency_cycles;
  stages.tree = t.depth_cycles - (stages.load + stages.mvm + stages.shift_add + stages.reduce +
                                  stages.psum_noc + stages.output + stages.hops);
  stages.interval = t.interval_cycles;
  stages.depth = t.depth_cycles;
  stages.vectors = unit.vectors;
  b.program.units.push_back(stages);

  // Off-chip image: one segment per array of a copy run.
  std::vector<std::int64_t>& image = b.group_image.at(static_cast<std::size_t>(group.id));
  const int bpc = params.bits_per_cell;
  const std::int64_t cell_mask = (std::int64_t{1} << bpc) - 1;
  const int ref_level = reference ? quant::reference_level(params, wb) : 0;
  for (const cost::CopyRun& run : runs)
    for (std::int64_t gi = 0; gi < unit_groups; ++gi)
      for (std::int64_t rb = 0; rb < row_blocks; ++rb)
        for (std::int64_t cb = 0; cb < col_blocks; ++cb) {
          const std::int64_t a = (gi * row_blocks + rb) * col_blocks + cb;
          const std::int64_t array_rows = std::min(rows_per_array, rows - rb * rows_per_array);
          const std::int64_t channels = std::min(wpa, cout_gu - cb * wpa);
          const std::int64_t used_cols = reference ? wpa * slice_count + 1 : channels * slice_count;
          SegmentHeader h;
          h.tile = run.first_tile + a / arrays_per_tile;
          h.array = static_cast<int>(a % arrays_per_tile);
          h.rows = array_rows;
          h.row_bits = used_cols * bpc;
          h.copies = run.copies;
          h.copy_tile_stride = run.stride;
          h.row_write = std::max<std::int64_t>(1, row_write);  // as the arrays' WRITE_CYCLES
          std::uint64_t h0 = 0, h1 = 0;
          encode_segment_header(h, h0, h1);
          image.push_back(static_cast<std::int64_t>(h0));
          image.push_back(static_cast<std::int64_t>(h1));
          // Payload: the rows' cells packed densely, row after row, LSB first.
          std::vector<std::uint64_t> payload(static_cast<std::size_t>(segment_payload_words(h)));
          for (std::int64_t r = 0; r < array_rows; ++r) {
            auto put = [&](std::int64_t col, std::int64_t level) {
              const std::int64_t bit = r * h.row_bits + col * bpc;
              const std::uint64_t value = static_cast<std::uint64_t>(level & cell_mask);
              payload[static_cast<std::size_t>(bit / 64)] |= value << (bit % 64);
              if (bit % 64 + bpc > 64)
                payload[static_cast<std::size_t>(bit / 64 + 1)] |= value >> (64 - bit % 64);
            };
            const std::int64_t k = rb * rows_per_array + r;  // piece row
            const std::int64_t layer_row = in_off * k2 + k;  // row of the layer group
            for (std::int64_t j = 0; j < channels; ++j) {
              const std::int64_t n = cb * wpa + j;  // channel within the unit's group
              const std::int64_t oc = (first_group + gi) * cout_g + within + n;
              const std::int64_t w = weights[static_cast<std::size_t>(oc * layer_rows + layer_row)];
              const std::int64_t e = stored_pattern(w, params, wb);
              for (std::int64_t s = 0; s < slice_count; ++s) {
                const quant::WeightSlice& slice = slices[static_cast<std::size_t>(s)];
                put(j * slice_count + s,
                    (e >> slice.first_bit) & ((std::int64_t{1} << slice.bits) - 1));
              }
            }
            if (reference) put(wpa * slice_count, ref_level);
          }
          for (std::uint64_t word : payload) image.push_back(static_cast<std::int64_t>(word));
        }

  // Registers.
  const bool last_piece = unit.row_piece == unit.row_pieces - 1;
  Engine& engine = b.program.engines.at(static_cast<std::size_t>(engine_id));
  Section& section =
      b.sections.at(static_cast<std::size_t>(engine_id)).at(static_cast<std::size_t>(group.id));
  if (section.used)
    fail("{}: engine {} already serves a unit in group {}", where, engine_id, group.id);
  section.used = true;
  std::vector<Instruction>& c = section.config;
  Arith arith;
  arith.weight_bits = wb;
  arith.input_bits = in_q.bits;
  arith.signed_input = in_q.is_signed;
  arith.input_encoding = params.input_encoding == quant::InputEncoding::Offset ? 1 : 0;
  arith.weight_encoding = encoding_code(params.encoding);
  arith.adc = adc_code(params.adc_mode);
  arith.bits_per_cell = bpc;
  arith.dac_bits = params.dac_bits;
  arith.adc_bits = params.adc_bits;
  int out_buffer = b.buffer_of(node.output);
  std::int64_t out_c = b.buffer(out_buffer).channels, out_c_off = unit.out_channel_offset;
  if (!last_piece) {
    out_buffer = b.psum_buffer.at(unit.id);
    out_c = unit.out_channels;
    out_c_off = 0;
  }
  int psum_in = -1;
  if (unit.row_piece > 0) {
    for (const UnitInfo& other : d.units)
      if (other.layer == unit.layer && other.column_piece == unit.column_piece &&
          other.row_piece == unit.row_piece - 1)
        psum_in = b.psum_buffer.at(other.id);
    if (psum_in < 0) fail("{}: no row piece {} before it", where, unit.row_piece - 1);
  }
  const std::int64_t copy_table = static_cast<std::int64_t>(engine.data.size());
  for (const CopyInfo& copy : copies)
    engine.data.push_back(static_cast<std::uint64_t>(copy.first_tile));
  const std::int64_t table = static_cast<std::int64_t>(engine.data.size());
  // The copy table first: the engine reads it one word per cycle, and the RUN must not issue
  // before the last word is in (docs/isa.md, COPY_TABLE).
  c.push_back(set(ereg::kCopies, mapping.duplication));
  c.push_back(set(ereg::kCopyTable, copy_table));
  const std::size_t after_table = c.size();
  c.push_back(set(ereg::kInBuf, in.id));
  c.push_back(set(ereg::kInC, in.channels));
  c.push_back(set(ereg::kInH, in.height));
  c.push_back(set(ereg::kInW, in.width));
  c.push_back(set(ereg::kInCOff, first_group * cin_g + in_off));
  c.push_back(set(ereg::kInCCnt, in_cnt));
  c.push_back(set(ereg::kInCStep, cin_g));
  c.push_back(set(ereg::kKh, kh));
  c.push_back(set(ereg::kKw, kw));
  c.push_back(set(ereg::kStrideH, sh));
  c.push_back(set(ereg::kStrideW, sw));
  c.push_back(set(ereg::kPadT, pt));
  c.push_back(set(ereg::kPadL, pl));
  c.push_back(set(ereg::kDilH, dh));
  c.push_back(set(ereg::kDilW, dw));
  c.push_back(set(ereg::kOutBuf, out_buffer));
  c.push_back(set(ereg::kOutC, out_c));
  c.push_back(set(ereg::kOutCOff, out_c_off));
  c.push_back(set(ereg::kOutCCnt, unit.out_channels));
  c.push_back(set(ereg::kOutH, out_h));
  c.push_back(set(ereg::kOutW, out_w));
  c.push_back(set(ereg::kVectors, out_h * out_w));
  c.push_back(set(ereg::kGroups, unit_groups));
  c.push_back(set(ereg::kOutCPerGroup, cout_gu));
  c.push_back(set(ereg::kPsumInBuf, psum_in));
  c.push_back(set(ereg::kPsumOut, last_piece ? 0 : 1));
  c.push_back(set(ereg::kTable, table));
  c.push_back(set(ereg::kClampMin, qn.clamp_min));
  c.push_back(set(ereg::kClampMax, qn.clamp_max));
  c.push_back(set(ereg::kTile, copies[0].first_tile));
  c.push_back(set(ereg::kArraysPerTile, arrays_per_tile));
  c.push_back(set(ereg::kRowBlocks, row_blocks));
  c.push_back(set(ereg::kColBlocks, col_blocks));
  c.push_back(set(ereg::kRowsPerArray, rows_per_array));
  c.push_back(set(ereg::kWeightsPerArray, wpa));
  c.push_back(set(ereg::kSlices, slice_count));
  c.push_back(set(ereg::kArith, arith.pack()));
  c.push_back(set(ereg::kParallelRows, params.parallel_rows));
  c.push_back(set(ereg::kAdcShift, quant::make_adc(params, largest_block).shift));
  c.push_back(set(ereg::kArrayRows, params.rows));
  c.push_back(set(ereg::kArrayCols, params.cols));
  c.push_back(set(ereg::kVecPeriod, slots.period));
  c.push_back(set(ereg::kVecSlotLo, slots.lo));
  c.push_back(set(ereg::kVecSlotHi, slots.hi));
  c.push_back(set(ereg::kIi, stages.interval));
  c.push_back(set(ereg::kDepth, stages.depth));
  // The SETs after COPY_TABLE and the SYNC take a cycle each; NOPs cover the rest of the
  // table (before SYNC: hidden when the engine waits for START there). The cost model counts
  // this length (cost::weight_config_cycles).
  const auto config_cycles =
      static_cast<std::size_t>(cost::weight_config_cycles(mapping.duplication));
  if (c.size() > config_cycles || after_table != 2)
    fail("{}: a weight section of {} SETs, the cost model counts {}", where, c.size(),
         config_cycles);
  c.resize(config_cycles, op(Opcode::Nop));
  section.runs.push_back(op(Opcode::Run));

  // Channel table (last row piece only): bias minus the input-offset term, requantizer.
  if (last_piece) {
    const std::int64_t offset =
        (in_q.is_signed && arith.input_encoding == 1) ? (std::int64_t{1} << (in_q.bits - 1)) : 0;
    for (std::int64_t gi = 0; gi < unit_groups; ++gi)
      for (std::int64_t n = 0; n < cout_gu; ++n) {
        const std::int64_t oc = (first_group + gi) * cout_g + within + n;
        std::int64_t row_sum = 0;
        for (std::int64_t k = 0; k < layer_rows; ++k)
          row_sum += weights[static_cast<std::size_t>(oc * layer_rows + k)];
        const quant::Requantizer& r = qn.requant.at(static_cast<std::size_t>(oc));
        engine.data.push_back(static_cast<std::uint64_t>(qn.bias.at(static_cast<std::size_t>(oc)) -
                                                         offset * row_sum));
        engine.data.push_back(requant_word(r.multiplier, r.shift));
      }
  }

  UnitReload reload;
  reload.row_write = row_write;
  reload.write_cycles = lc.mapping.active_rows * reload.row_write;
  return reload;
}

}  // namespace pimhls::compile::detail
