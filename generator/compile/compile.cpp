#include "compile/compile.h"

#include <algorithm>
#include <optional>
#include <set>
#include <vector>

#include "compile/builder.h"
#include "compile/reload_port.h"
#include "cost/cycles.h"
#include "util/error.h"

namespace pimhls::compile {
namespace detail {

int Builder::buffer_of(ir::ValueId value) const {
  const auto it = value_buffer.find(root.at(static_cast<std::size_t>(value)));
  if (it == value_buffer.end())
    fail("{}: value '{}' has no on-chip buffer", design.source, graph.graph.value(value).name);
  return it->second;
}

void buffer_dims(const ir::Dims& shape, std::int64_t& c, std::int64_t& h, std::int64_t& w,
                 const std::string& where) {
  if (shape.size() == 4 && shape[0] == 1) {
    c = shape[1];
    h = shape[2];
    w = shape[3];
  } else if (shape.size() == 3 && shape[0] == 1) {  // a 1-D map: one row
    c = shape[1];
    h = 1;
    w = shape[2];
  } else if (shape.size() == 2 && shape[0] == 1) {
    c = shape[1];
    h = w = 1;
  } else if (shape.size() >= 2 && shape.size() <= 4 && shape[0] > 1) {
    fail(
        "{}: tensor of shape {}: the RTL infers one sample per run; export the model with batch "
        "1 or a dynamic batch (taken as 1), or estimate batch {} with gen --no-rtl",
        where, ir::format_dims(shape), shape[0]);
  } else {
    fail("{}: tensor of shape {} is not supported by the RTL yet (batch 1: NCHW, NCL or [1, K])",
         where, ir::format_dims(shape));
  }
}

Buffer buffer_view(const Builder& b, ir::ValueId value, const std::string& where) {
  Buffer view = b.buffer(b.buffer_of(value));
  std::int64_t c = 0, h = 0, w = 0;
  buffer_dims(b.graph.graph.shape(value), c, h, w, where);
  if (c != view.channels || h * w != view.pixels())
    fail("{}: reads '{}' as {} but its buffer is [{}, {}, {}]; not supported by the RTL yet", where,
         b.graph.graph.value(value).name, ir::format_dims(b.graph.graph.shape(value)),
         view.channels, view.height, view.width);
  view.height = h;
  view.width = w;
  return view;
}

}  // namespace detail

namespace {

using detail::Builder;
using detail::Section;

bool is_alias(ir::Op op) { return op == ir::Op::Flatten || op == ir::Op::Reshape; }
bool is_weight(ir::Op op) { return op == ir::Op::Conv || op == ir::Op::Gemm; }

int add_buffer(Builder& b, Buffer buffer) {
  buffer.id = static_cast<int>(b.program.buffers.size());
  b.program.buffers.push_back(buffer);
  return buffer.id;
}

// The shape a graph input's buffer takes: its own, or the one shape everything reads it as
// through views (Reshape, Flatten) when that is a tensor of one sample. An image [N, H, W]
// unsqueezed to [N, 1, H, W] is stored as that map (one channel), not as H channels of one row:
// the host writes each element to the channel and pixel the buffer's shape gives it (NCHW order).
ir::Dims input_buffer_shape(const ir::Graph& g, ir::ValueId input) {
  // (a batch other than 1 is an error naming the input's own shape)
  if (g.shape(input).empty() || g.shape(input)[0] != 1) return g.shape(input);
  std::optional<ir::Dims> read;
  const auto reads = [&](ir::ValueId v) {
    if (read && *read != g.shape(v)) return false;
    read = g.shape(v);
    return true;
  };
  std::vector<ir::ValueId> views{input};
  while (!views.empty()) {
    const ir::ValueId v = views.back();
    views.pop_back();
    if (g.is_output(v) && !reads(v)) return g.shape(input);
    for (const int n : g.consumers(v)) {
      const ir::Node& node = g.nodes[static_cast<std::size_t>(n)];
      if (is_alias(node.op))
        views.push_back(node.output);
      else if (!reads(v))
        return g.shape(input);
    }
  }
  if (!read || read->empty() || read->size() > 4 || (*read)[0] != 1) return g.shape(input);
  return *read;
}

Buffer value_buffer(const Builder& b, ir::ValueId value, BufferKind kind, int writers) {
  const ir::Value& v = b.graph.graph.value(value);
  Buffer buffer;
  buffer.tensor = v.name;
  buffer.kind = kind;
  buffer.value = value;
  detail::buffer_dims(
      kind == BufferKind::Input ? input_buffer_shape(b.graph.graph, value) : v.shape,
      buffer.channels, buffer.height, buffer.width,
      fmt::format("{}: value '{}'", b.design.source, v.name));
  const quant::QuantParams& q = b.graph.values.at(static_cast<std::size_t>(value));
  buffer.bits = q.bits;
  buffer.is_signed = q.is_signed;
  buffer.writers = writers;
  return buffer;
}

// Buffers, in the order: graph inputs, then per node in topological order (psum buffers of a
// layer before its output buffer). Aliases share their producer's buffer.
void plan_buffers(Builder& b) {
  const ir::Graph& g = b.graph.graph;
  b.root.resize(g.values.size());
  for (std::size_t v = 0; v < g.values.size(); ++v) b.root[v] = static_cast<ir::ValueId>(v);
  for (ir::ValueId input : g.inputs) {
    const int id = add_buffer(b, value_buffer(b, input, BufferKind::Input, 1));
    b.value_buffer[input] = id;
    b.program.input_buffers.push_back(id);
  }
  std::map<int, int> layer_of_node;
  for (std::size_t l = 0; l < b.weight_layer_nodes.size(); ++l)
    layer_of_node[b.weight_layer_nodes[l]] = static_cast<int>(l);
  for (std::size_t n = 0; n < g.nodes.size(); ++n) {
    const ir::Node& node = g.nodes[n];
    if (is_alias(node.op)) {
      b.root[static_cast<std::size_t>(node.output)] =
          b.root[static_cast<std::size_t>(node.inputs.at(0))];
      continue;
    }
    if (ir::runs_on_host(node.op)) continue;
    int writers = 1;
    if (is_weight(node.op)) {
      const LayerInfo& layer =
          b.design.layers.at(static_cast<std::size_t>(layer_of_node.at(static_cast<int>(n))));
      writers = 0;
      for (int u : layer.units) {
        const UnitInfo& unit = b.design.units.at(static_cast<std::size_t>(u));
        if (unit.row_piece == unit.row_pieces - 1) {
          ++writers;
          continue;
        }
        Buffer psum;
        psum.tensor = fmt::format("{}.psum{}.{}", layer.name, unit.column_piece, unit.row_piece);
        psum.kind = BufferKind::Psum;
        psum.channels = unit.out_channels;
        std::int64_t c = 0;
        detail::buffer_dims(g.shape(node.output), c, psum.height, psum.width,
                            fmt::format("{}: layer '{}'", b.design.source, layer.name));
        psum.bits = b.design.accumulator_bits;
        psum.is_signed = true;
        b.psum_buffer[u] = add_buffer(b, psum);
      }
    }
    b.value_buffer[node.output] =
        add_buffer(b, value_buffer(b, node.output, BufferKind::Activation, writers));
  }
  for (ir::ValueId output : g.outputs) {
    OutputInfo info;
    info.value = output;
    info.on_chip = output;
    const ir::Value& v = g.value(output);
    if (v.producer >= 0 && ir::runs_on_host(g.nodes[static_cast<std::size_t>(v.producer)].op)) {
      info.host_node = v.producer;
      info.host_op = ir::op_name(g.nodes[static_cast<std::size_t>(v.producer)].op);
      info.on_chip = g.nodes[static_cast<std::size_t>(v.producer)].inputs.at(0);
    }
    info.buffer = b.buffer_of(info.on_chip);
    b.program.outputs.push_back(info);
  }
  for (std::size_t n = 0; n < g.nodes.size(); ++n) {
    const ir::Node& node = g.nodes[n];
    if (!ir::runs_on_host(node.op)) continue;
    const bool is_output =
        std::find(g.outputs.begin(), g.outputs.end(), node.output) != g.outputs.end();
    if (!is_output || !g.consumers(node.output).empty())
      fail("{}: node '{}' ({}) runs on the host and must produce a graph output", b.design.source,
           node.name, ir::op_name(node.op));
  }
}

// The group of every unit, and of every vector node (its latest producer's group).
std::vector<int> plan_node_groups(Builder& b) {
  const ir::Graph& g = b.graph.graph;
  b.unit_group.assign(b.design.units.size(), -1);
  for (const GroupInfo& group : b.design.groups)
    for (int u = group.first_unit; u <= group.last_unit; ++u)
      b.unit_group.at(static_cast<std::size_t>(u)) = group.id;
  for (std::size_t u = 0; u < b.unit_group.size(); ++u)
    if (b.unit_group[u] < 0) fail("{}: unit {} is in no group", b.design.source, u);
  std::vector<int> node_group(g.nodes.size(), 0);
  std::vector<int> value_group(g.values.size(), 0);
  std::map<int, int> layer_of_node;
  for (std::size_t l = 0; l < b.weight_layer_nodes.size(); ++l)
    layer_of_node[b.weight_layer_nodes[l]] = static_cast<int>(l);
  for (std::size_t n = 0; n < g.nodes.size(); ++n) {
    const ir::Node& node = g.nodes[n];
    int inputs_group = 0;
    for (ir::ValueId input : node.inputs)
      inputs_group = std::max(inputs_group, value_group[static_cast<std::size_t>(input)]);
    int group = inputs_group;
    if (is_weight(node.op)) {
      const LayerInfo& layer =
          b.design.layers.at(static_cast<std::size_t>(layer_of_node.at(static_cast<int>(n))));
      int first = static_cast<int>(b.design.groups.size()), last = 0;
      for (int u : layer.units) {
        first = std::min(first, b.unit_group[static_cast<std::size_t>(u)]);
        last = std::max(last, b.unit_group[static_cast<std::size_t>(u)]);
      }
      if (first < inputs_group)
        fail("{}: layer '{}' runs in group {} before its input is computed (group {})",
             b.design.source, layer.name, first, inputs_group);
      group = last;
    }
    node_group[n] = group;
    value_group[static_cast<std::size_t>(node.output)] = group;
  }
  return node_group;
}

void emit_sections(Builder& b) {
  const int groups = static_cast<int>(b.design.groups.size());
  for (std::size_t e = 0; e < b.program.engines.size(); ++e) {
    Engine& engine = b.program.engines[e];
    for (int gi = 0; gi < groups; ++gi) {
      const Section& s = b.sections[e][static_cast<std::size_t>(gi)];
      engine.program.insert(engine.program.end(), s.config.begin(), s.config.end());
      engine.program.push_back(op(Opcode::Sync));
      engine.program.insert(engine.program.end(), s.runs.begin(), s.runs.end());
      engine.program.push_back(op(Opcode::Done));
    }
    engine.program.push_back(op(Opcode::Halt));
  }
}

// A group's image with its segments longest first (stable): offchip_port's lane l serves the
// l-th segment and hands out the bandwidth in lane order, so the segments with the most rows
// write a row every ROW_WRITE cycles from the start, as the RELOAD formula assumes.
std::vector<std::int64_t> longest_segments_first(const std::vector<std::int64_t>& image) {
  struct Segment {
    std::size_t begin, end;
    std::int64_t rows;
  };
  std::vector<Segment> segments;
  for (std::size_t word = 0; word + 1 < image.size();) {
    const SegmentHeader h = decode_segment_header(static_cast<std::uint64_t>(image[word]),
                                                  static_cast<std::uint64_t>(image[word + 1]));
    const std::size_t end = word + 2 + static_cast<std::size_t>(segment_payload_words(h));
    segments.push_back({word, end, h.rows});
    word = end;
  }
  std::stable_sort(segments.begin(), segments.end(),
                   [](const Segment& a, const Segment& b) { return a.rows > b.rows; });
  std::vector<std::int64_t> sorted;
  sorted.reserve(image.size());
  for (const Segment& s : segments)
    sorted.insert(sorted.end(), image.begin() + static_cast<std::ptrdiff_t>(s.begin),
                  image.begin() + static_cast<std::ptrdiff_t>(s.end));
  return sorted;
}

}  // namespace

std::uint64_t Program::hash() const {
  std::uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](std::uint64_t word) {
    for (int i = 0; i < 8; ++i) {
      h ^= (word >> (8 * i)) & 0xFF;
      h *= 0x100000001b3ull;
    }
  };
  for (const Instruction& i : global) mix(encode(i));
  for (const Engine& e : engines) {
    mix(static_cast<std::uint64_t>(e.id));
    for (const Instruction& i : e.program) mix(encode(i));
    for (std::uint64_t w : e.data) mix(w);
  }
  for (std::uint64_t w : offchip) mix(w);
  return h;
}

Program compile_design(const quant::QuantizedGraph& graph, const DesignInfo& design,
                       const hw::Library& library) {
  Builder b{graph, design, library, {}, {}, {}, {}, {}, {}, {}, {}};
  b.program.network = design.network;
#ifdef PIMHLS_VERSION
  b.program.tool_version = PIMHLS_VERSION;
#endif
  b.program.design_latency_cycles = design.latency_cycles;
  b.program.offchip_bits_per_cycle = library.chip.offchip_bits_per_cycle();

  b.weight_layer_nodes = graph.graph.weight_layers();
  if (b.weight_layer_nodes.size() != design.layers.size())
    fail("{}: {} layers, but the network has {} weight layers", design.source, design.layers.size(),
         b.weight_layer_nodes.size());
  for (std::size_t l = 0; l < design.layers.size(); ++l) {
    const ir::Node& node = graph.graph.nodes[static_cast<std::size_t>(b.weight_layer_nodes[l])];
    if (node.name != design.layers[l].name)
      fail("{}: layers[{}] is '{}', but the network's weight layer {} is '{}'", design.source, l,
           design.layers[l].name, l, node.name);
  }
  if (design.groups.empty()) fail("{}: no groups", design.source);

  plan_buffers(b);
  const std::vector<int> node_group = plan_node_groups(b);

  // Engines: one per tile set, then one per on-chip vector node.
  const int groups = static_cast<int>(design.groups.size());
  for (const TileSetInfo& set : design.tile_sets) {
    Engine engine;
    engine.id = static_cast<int>(b.program.engines.size());
    engine.kind = Controller::Weight;
    engine.name = fmt::format("we{}", engine.id);
    engine.tile_set = set.id;
    b.program.engines.push_back(engine);
  }
  std::vector<std::pair<int, int>> vector_nodes;  // (node, engine)
  for (std::size_t n = 0; n < graph.graph.nodes.size(); ++n) {
    const ir::Op op = graph.graph.nodes[n].op;
    if (is_weight(op) || is_alias(op) || ir::runs_on_host(op)) continue;
    Engine engine;
    engine.id = static_cast<int>(b.program.engines.size());
    engine.kind = Controller::Vector;
    engine.name = fmt::format("ve{}", engine.id);
    engine.node = static_cast<int>(n);
    vector_nodes.emplace_back(static_cast<int>(n), engine.id);
    b.program.engines.push_back(engine);
  }
  b.sections.assign(b.program.engines.size(),
                    std::vector<Section>(static_cast<std::size_t>(groups)));
  b.group_image.assign(static_cast<std::size_t>(groups), {});

  b.program.measure_reloads = groups > 1;
  if (b.program.measure_reloads) b.program.global.push_back(op(Opcode::Mark));
  std::vector<std::size_t> xfer_sets;  // per group: its SET XFER_CYCLES in the global program
  for (const GroupInfo& group : design.groups) {
    GroupPlan plan;
    plan.id = group.id;
    plan.design_reload_cycles = group.reload_cycles;
    plan.design_compute_cycles = group.compute_cycles;
    b.program.design_spill_cycles += group.spill_cycles;
    std::set<int> busy_tile_sets;
    for (const MappingInfo& mapping : group.mapping) {
      // Copies by configuration: each class is an engine (its lowest tile set).
      std::vector<MappingInfo> classes;
      std::vector<const TileSetInfo*> class_config;
      for (const CopyInfo& copy : mapping.copies) {
        if (copy.tile_sets.empty())
          fail("{}: group {}: unit {} has a copy on no tile set", design.source, group.id,
               mapping.unit);
        const TileSetInfo& t = design.tile_sets.at(static_cast<std::size_t>(copy.tile_sets[0]));
        std::size_t k = 0;
        while (k < classes.size() && !same_configuration(*class_config[k], t)) ++k;
        if (k == classes.size()) {
          classes.push_back(MappingInfo{mapping.unit, 0, {}});
          class_config.push_back(&t);
        }
        classes[k].copies.push_back(copy);
        classes[k].duplication = static_cast<int>(classes[k].copies.size());
      }
      const std::vector<detail::VectorSlots> slots = detail::vector_slots(b, mapping.unit, classes);
      // One off-chip stream per array geometry: the first class of a geometry writes the
      // arrays of every copy with it (copies on other readouts hold the same cells).
      std::vector<std::vector<CopyInfo>> streams(classes.size());
      for (std::size_t k = 0; k < classes.size(); ++k) {
        std::size_t first = 0;
        while (!same_cells(*class_config[first], *class_config[k])) ++first;
        streams[first].insert(streams[first].end(), classes[k].copies.begin(),
                              classes[k].copies.end());
      }
      for (std::vector<CopyInfo>& stream : streams)
        std::stable_sort(stream.begin(), stream.end(), [](const CopyInfo& a, const CopyInfo& b) {
          return a.first_tile < b.first_tile;
        });
      for (std::size_t k = 0; k < classes.size(); ++k) {
        int engine = static_cast<int>(design.tile_sets.size());
        std::set<int> covered;
        for (const CopyInfo& copy : classes[k].copies)
          for (int s : copy.tile_sets) {
            engine = std::min(engine, s);
            covered.insert(s);
          }
        for (int s : covered)
          if (!busy_tile_sets.insert(s).second)
            fail(
                "{}: group {}: tile set {} would serve two units (unit {}); not supported by "
                "the RTL yet",
                design.source, group.id, s, mapping.unit);
        const detail::UnitReload reload =
            detail::compile_unit(b, group, classes[k], engine, slots[k], streams[k]);
        plan.write_cycles = std::max(plan.write_cycles, reload.write_cycles);
        plan.row_write = std::max(plan.row_write, reload.row_write);
      }
    }
    for (const auto& [node, engine] : vector_nodes)
      if (node_group[static_cast<std::size_t>(node)] == group.id)
        detail::compile_vector_node(b, node, engine, group.id);

    const std::vector<std::int64_t> image =
        longest_segments_first(b.group_image[static_cast<std::size_t>(group.id)]);
    plan.reload_words = static_cast<std::int64_t>(image.size());
    plan.xfer_cycles = cost::ceil_div(plan.reload_words * 64, b.program.offchip_bits_per_cycle);
    for (std::int64_t word : image) b.program.offchip.push_back(static_cast<std::uint64_t>(word));
    xfer_sets.push_back(b.program.global.size());
    b.program.global.push_back(set(greg::kXferCycles, plan.xfer_cycles));
    b.program.global.push_back(set(greg::kWriteCycles, plan.write_cycles));
    b.program.global.push_back(set(greg::kRowWrite, plan.row_write));
    b.program.global.push_back(op(Opcode::Reload, plan.reload_words));
    if (!b.program.measure_reloads) b.program.global.push_back(op(Opcode::Mark));
    b.program.global.push_back(op(Opcode::Start, group.id));
    b.program.global.push_back(op(Opcode::Wait));
    b.program.groups.push_back(plan);
  }
  b.program.global.push_back(op(Opcode::Halt));
  fit_reloads_to_port(b.program, xfer_sets, reload_row_bits(b.program, design, library));
  emit_sections(b);
  return std::move(b.program);
}

}  // namespace pimhls::compile
