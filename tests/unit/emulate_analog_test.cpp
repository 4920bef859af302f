// The golden emulator runs compiled Programs bit for bit like the analog reference
// (quant::run_analog with the design's arrays), on the tiny CNN and on random networks, under
// SRAM-only, RRAM-only and heterogeneous designs with budgets that force several layer groups
// (reloads), splits and duplication. It also reports its cycles against the cost model.
#include <fmt/core.h>

#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "compile_test_flow.h"
#include "quant_graphs.h"

namespace pimhls::test {
namespace {

void require_equal(const Comparison& c) {
  REQUIRE(c.expected.size() == c.actual.size());
  for (std::size_t i = 0; i < c.expected.size(); ++i) {
    REQUIRE(c.actual[i].shape == c.expected[i].shape);
    REQUIRE(c.actual[i].data == c.expected[i].data);
  }
}

struct Shape {
  int groups = 0, splits = 0, duplicated = 0;
};

Shape describe(const Flow& flow) {
  Shape s;
  s.groups = static_cast<int>(flow.design.groups.size());
  for (const compile::UnitInfo& u : flow.design.units)
    if (u.row_pieces > 1 || u.column_pieces > 1) ++s.splits;
  for (const compile::GroupInfo& g : flow.design.groups)
    for (const compile::MappingInfo& m : g.mapping)
      if (m.duplication > 1) ++s.duplicated;
  return s;
}

void print_cycles(const std::string& label, const Flow& flow, const Comparison& c) {
  const Shape s = describe(flow);
  fmt::print(
      "{}: {} groups, {} split units, {} duplicated; emulator {} cycles, design {} ({:+.2f}%)\n",
      label, s.groups, s.splits, s.duplicated, c.result.cycles, flow.design.latency_cycles,
      100.0 * (static_cast<double>(c.result.cycles) / flow.design.latency_cycles - 1));
  for (std::size_t g = 0; g < c.result.groups.size(); ++g) {
    const emulate::GroupCycles& e = c.result.groups[g];
    const compile::GroupInfo& d = flow.design.groups[g];
    fmt::print("  group {}: reload {} (design {}), compute {} (design {})\n", g, e.reload_cycles,
               d.reload_cycles, e.end - e.start, d.compute_cycles);
  }
}

TEST_CASE("emulator: tiny CNN equals the analog reference under several designs", "[emulate]") {
  const ir::Graph graph = example("tiny_cnn");
  const std::vector<std::vector<std::string>> technologies = {{"sram"}, {"rram"}, {}};
  const double budgets[] = {1.1, 1.5, 4.0};
  for (const auto& tech : technologies)
    for (double budget : budgets) {
      const std::string label =
          fmt::format("tiny_cnn {} x{}", tech.empty() ? "hetero" : tech[0], budget);
      INFO(label);
      const Flow flow = make_flow(graph, tech, budget);
      const Comparison c = compare_with_analog(flow);
      print_cycles(label, flow, c);
      require_equal(c);
    }
}

// Random networks: every vector op, strided / dilated / grouped convolutions, a Gemm on a
// flattened feature map, layers big enough to be split.
ir::Graph random_net(int which, unsigned seed) {
  GraphBuilder b(seed);
  if (which == 0) {
    const ir::ValueId x = b.input({1, 3, 12, 12});
    ir::ValueId y = b.pool(ir::Op::MaxPool, b.conv(x, 16, 3, 1, 1), 2, 2);
    const ir::ValueId z = b.conv(y, 16, 3, 1, 1, 1, false);
    y = b.relu(b.add(z, b.conv(y, 16, 1, 1, 0, 1, false)));
    return b.finish(b.gemm(b.flatten(b.global_average_pool(y)), 10));
  }
  if (which == 1) {
    const ir::ValueId x = b.input({1, 4, 11, 11});
    const ir::ValueId a = b.conv(x, 8, 3, 2, 1);              // stride 2
    const ir::ValueId c = b.conv(x, 8, 3, 2, 2, 1, true, 2);  // dilation 2
    ir::ValueId y = b.concat(a, c);
    y = b.conv(y, 16, 3, 1, 1, 2);  // groups 2
    y = b.pool(ir::Op::AveragePool, y, 3, 2, 1);
    return b.finish(b.gemm(b.flatten(y), 12, true));
  }
  const ir::ValueId x = b.input({1, 64, 4, 4});
  ir::ValueId y = b.conv(x, 128, 3, 1, 1);
  y = b.gemm(b.flatten(y), 64, true);
  return b.finish(b.gemm(y, 10));
}

// The remaining vector ops, built node by node: ChannelAffine, a standalone Clip, tables on
// codes (SiLU, Tanh of a LeakyRelu), Add with a broadcast constant, Mul by a gate per channel
// and of two maps, Add of a vector per channel (the broadcast operand first), the max over the
// channels, MaxPool with pads,
// AveragePool counting the pads.
ir::Graph vector_ops_net(unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  ir::Graph g;
  g.name = "vector_ops";
  g.nodes.reserve(32);  // the references below stay valid
  auto value = [&g](const ir::Dims& shape, int producer) {
    g.values.push_back(ir::Value{fmt::format("v{}", g.values.size()), shape, producer});
    return static_cast<ir::ValueId>(g.values.size() - 1);
  };
  auto tensor = [&](const ir::Dims& shape, float scale) {
    ir::Tensor t{shape, std::vector<float>(static_cast<std::size_t>(ir::element_count(shape)))};
    for (float& x : t.data) x = scale * normal(random);
    return t;
  };
  auto node = [&](ir::Op op, std::vector<ir::ValueId> inputs, const ir::Dims& shape) -> ir::Node& {
    ir::Node n;
    n.name = fmt::format("{}_{}", ir::op_name(op), g.nodes.size());
    n.op = op;
    n.inputs = std::move(inputs);
    n.output = value(shape, static_cast<int>(g.nodes.size()));
    g.nodes.push_back(std::move(n));
    return g.nodes.back();
  };
  const ir::ValueId x = value({1, 4, 6, 6}, -1);
  g.inputs = {x};
  ir::Node& affine = node(ir::Op::ChannelAffine, {x}, {1, 4, 6, 6});
  affine.weight = tensor({4}, 1.0f);
  affine.bias = tensor({4}, 0.5f);
  ir::Node& clip = node(ir::Op::Clip, {affine.output}, {1, 4, 6, 6});
  clip.activation = {ir::Activation::Kind::Clip, -1.0f, 1.5f};
  ir::Node& conv = node(ir::Op::Conv, {clip.output}, {1, 8, 6, 6});
  conv.window.kernel_h = conv.window.kernel_w = 3;
  conv.window.pad_top = conv.window.pad_left = conv.window.pad_bottom = conv.window.pad_right = 1;
  conv.weight = tensor({8, 4, 3, 3}, 0.2f);
  conv.bias = tensor({8}, 0.1f);
  ir::Node& silu = node(ir::Op::Unary, {conv.output}, {1, 8, 6, 6});
  silu.unary = {{{ir::UnaryStep::Kind::Sigmoid}}, true};
  ir::Node& add = node(ir::Op::Add, {silu.output}, {1, 8, 6, 6});
  add.weight = tensor({8, 1, 1}, 0.5f);
  ir::Node& pooled = node(ir::Op::GlobalAveragePool, {add.output}, {1, 8, 1, 1});
  ir::Node& gated = node(ir::Op::Mul, {add.output, pooled.output}, {1, 8, 6, 6});
  ir::Node& context = node(ir::Op::Add, {pooled.output, gated.output}, {1, 8, 6, 6});
  ir::Node& squared = node(ir::Op::Mul, {context.output, add.output}, {1, 8, 6, 6});
  // a spatial attention map (one channel): a map times it, and it plus a map
  ir::Node& squeeze = node(ir::Op::Conv, {squared.output}, {1, 1, 6, 6});
  squeeze.weight = tensor({1, 8, 1, 1}, 0.4f);
  squeeze.bias = tensor({1}, 0.1f);
  ir::Node& attention = node(ir::Op::Unary, {squeeze.output}, {1, 1, 6, 6});
  attention.unary = {{{ir::UnaryStep::Kind::Sigmoid}}, false};
  ir::Node& attended = node(ir::Op::Mul, {squared.output, attention.output}, {1, 8, 6, 6});
  ir::Node& lifted = node(ir::Op::Add, {attention.output, attended.output}, {1, 8, 6, 6});
  // the max over the channels (CBAM) scaling every channel
  ir::Node& peak = node(ir::Op::ChannelMax, {lifted.output}, {1, 1, 6, 6});
  ir::Node& peaked = node(ir::Op::Mul, {lifted.output, peak.output}, {1, 8, 6, 6});
  ir::Node& max = node(ir::Op::MaxPool, {peaked.output}, {1, 8, 3, 3});
  max.window.kernel_h = max.window.kernel_w = 3;
  max.window.stride_h = max.window.stride_w = 2;
  max.window.pad_top = max.window.pad_left = max.window.pad_bottom = max.window.pad_right = 1;
  ir::Node& leaky = node(ir::Op::Unary, {max.output}, {1, 8, 3, 3});
  leaky.unary = {{{ir::UnaryStep::Kind::LeakyRelu, 0.1f}, {ir::UnaryStep::Kind::Tanh}}, false};
  ir::Node& avg = node(ir::Op::AveragePool, {leaky.output}, {1, 8, 4, 4});
  avg.window.kernel_h = avg.window.kernel_w = 2;
  avg.window.pad_top = avg.window.pad_left = avg.window.pad_bottom = avg.window.pad_right = 1;
  avg.window.count_include_pad = true;
  // Resize to 5 x 7: rows linear (a 2-row window), columns nearest (one column)
  ir::Node& resized = node(ir::Op::Resample, {avg.output}, {1, 8, 5, 7});
  resized.window.kernel_h = 2;
  resized.resample_rows = {{0, 0, 1, 2, 3}, {0.0, 0.75, 0.5, 0.25, 0.0}};
  resized.resample_columns = {{0, 0, 1, 2, 2, 3, 3}, std::vector<double>(7, 0.0)};
  ir::Node& gap = node(ir::Op::GlobalAveragePool, {resized.output}, {1, 8, 1, 1});
  ir::Node& flat = node(ir::Op::Flatten, {gap.output}, {1, 8});
  ir::Node& fc = node(ir::Op::Gemm, {flat.output}, {1, 5});
  fc.weight = tensor({5, 8}, 0.3f);
  fc.bias = tensor({5}, 0.1f);
  g.outputs = {fc.output};
  ir::sort_topologically(g);
  return g;
}

TEST_CASE("emulator: every vector op equals the analog reference", "[emulate]") {
  for (const auto& tech : std::vector<std::vector<std::string>>{{"sram"}, {"rram"}}) {
    const Flow flow = make_flow(vector_ops_net(17), tech, 2.0);
    const Comparison c = compare_with_analog(flow, 19);
    print_cycles("vector ops " + tech[0], flow, c);
    require_equal(c);
  }
}

TEST_CASE("emulator: random networks equal the analog reference", "[emulate]") {
  const std::vector<std::vector<std::string>> technologies = {{"sram"}, {"rram"}, {}};
  const double budgets[] = {1.1, 2.0, 30.0};
  int designs = 0, split = 0, single_group = 0, duplicated = 0;
  for (int net = 0; net < 3; ++net)
    for (const auto& tech : technologies)
      for (double budget : budgets) {
        const std::string label =
            fmt::format("net{} {} x{}", net, tech.empty() ? "hetero" : tech[0], budget);
        INFO(label);
        const Flow flow = make_flow(random_net(net, 100 + net), tech, budget);
        const Comparison c = compare_with_analog(flow, 5 + net);
        print_cycles(label, flow, c);
        require_equal(c);
        const Shape s = describe(flow);
        ++designs;
        split += s.splits > 0;
        single_group += s.groups == 1;
        duplicated += s.duplicated > 0;
      }
  fmt::print("{} designs: {} with splits, {} single-group, {} with duplication\n", designs, split,
             single_group, duplicated);
}

// MobileNet-like: depthwise 3x3 convolutions (stride 1 and 2) and a grouped 3x3 conv, whose
// small groups pack block-diagonally into arrays (cost::LayerShape::groups_per_array).
ir::Graph depthwise_net(unsigned seed) {
  GraphBuilder b(seed);
  const ir::ValueId x = b.input({1, 3, 10, 10});
  ir::ValueId y = b.conv(x, 24, 3, 1, 1);
  y = b.conv(y, 24, 3, 1, 1, 24);  // depthwise
  y = b.conv(y, 32, 1, 1, 0);
  y = b.conv(y, 32, 3, 2, 1, 32);  // depthwise, stride 2
  y = b.conv(y, 32, 3, 1, 1, 8);   // 8 groups of 4 channels
  return b.finish(b.gemm(b.flatten(b.global_average_pool(y)), 10));
}

// The design's layers that pack groups, and whether one of them is split into pieces.
std::pair<int, bool> packed_layers(const Flow& flow) {
  int packed = 0;
  bool split = false;
  for (const compile::LayerInfo& layer : flow.design.layers) {
    if (layer.array.groups_per_array < 2) continue;
    ++packed;
    split = split || layer.units.size() > 1;
  }
  return {packed, split};
}

// Whether a grouped unit has copies on arrays of different sizes (each packs as many groups
// as fit its own arrays).
bool grouped_copies_on_two_sizes(const Flow& flow) {
  for (const compile::GroupInfo& group : flow.design.groups)
    for (const compile::MappingInfo& m : group.mapping) {
      if (flow.design.units.at(static_cast<std::size_t>(m.unit)).groups < 2) continue;
      std::set<int> sizes;
      for (const compile::CopyInfo& copy : m.copies)
        for (int s : copy.tile_sets)
          sizes.insert(flow.design.tile_sets.at(static_cast<std::size_t>(s)).array_rows);
      if (sizes.size() > 1) return true;
    }
  return false;
}

TEST_CASE("emulator: packed depthwise and grouped convolutions equal the analog reference",
          "[emulate]") {
  // Lossy RRAM too: 16 rows per sample cut a pack's groups at other rows than their own, and
  // 4-bit ADCs clip (offset weights: a zero between the groups is a stored 128, so the other
  // groups' inputs reach the ADC), so the analog reference must map the packs as the compiler
  // lays them out. One 64x64 array per tile: the smallest budgets cut packed layers into
  // pieces of packs.
  const hw::Library lossy = hw::overlay_library(
      "[tile.sram]\nparallel_rows = 32\n[tile.rram]\nreadout = \"adc_4b\"\nparallel_rows = 16\n",
      "lossy.toml");
  const hw::Library builtin = hw::builtin_library();
  const hw::Library one_array = hw::overlay_library(
      "[tile.sram]\narrays_per_tile = 1\narray_sizes = [64]\nbaseline_array_size = 64\n"
      "[tile.rram]\narrays_per_tile = 1\narray_sizes = [64]\nbaseline_array_size = 64\n",
      "one_array.toml");
  const std::vector<std::vector<std::string>> technologies = {{"sram"}, {"rram"}, {}};
  int packed_designs = 0, split_packs = 0, two_sizes = 0;
  for (const hw::Library* library : {&builtin, &lossy, &one_array})
    for (const auto& tech : technologies)
      for (double budget : {1.0, 1.5, 8.0}) {
        const std::string label =
            fmt::format("depthwise {} x{} {}", tech.empty() ? "hetero" : tech[0], budget,
                        library == &builtin ? "builtin" : library->source);
        INFO(label);
        const Flow flow = make_flow(depthwise_net(31), tech, budget, 7, library);
        const Comparison c = compare_with_analog(flow, 11);
        print_cycles(label, flow, c);
        require_equal(c);
        const auto [packed, split] = packed_layers(flow);
        packed_designs += packed > 0;
        split_packs += split;
        two_sizes += grouped_copies_on_two_sizes(flow);
      }
  fmt::print(
      "{} of 27 designs pack groups, {} split a packed layer, {} copy a grouped unit onto "
      "two array sizes\n",
      packed_designs, split_packs, two_sizes);
  CHECK(packed_designs == 27);
  CHECK(split_packs > 0);
}

}  // namespace
}  // namespace pimhls::test

namespace pimhls::test {
namespace {

// Random array parameters (seeded): cells of 1-3 bits (cells straddle image words with 3),
// 1-4 bit DACs, narrow clipping ADCs that saturate, fewer rows per sample, both encodings.
TEST_CASE("emulator: random array parameters", "[emulate]") {
  std::mt19937 random(2024);
  for (int trial = 0; trial < 6; ++trial) {
    hw::Library library = hw::builtin_library();
    for (hw::TileType& t : library.tile_types) {
      if (t.name == "rram") {
        t.bits_per_cell = 1 + static_cast<int>(random() % 3);
        t.dac.bits = 1 << (random() % 3);
        t.readout.bits = 4 + 2 * static_cast<int>(random() % 3);
        t.weight_encoding =
            random() % 2 ? hw::WeightEncoding::Offset : hw::WeightEncoding::TwosComplement;
      }
      t.parallel_rows = 16 << (random() % 3);
    }
    const int net = trial % 3;
    const std::vector<std::string> tech =
        trial % 2 ? std::vector<std::string>{"rram"} : std::vector<std::string>{};
    const double budget = trial < 3 ? 1.2 : 3.0;
    const std::string label = fmt::format("params trial {} net{}", trial, net);
    INFO(label);
    const Flow flow = make_flow(random_net(net, 300 + trial), tech, budget, 7, &library);
    const Comparison c = compare_with_analog(flow, 40 + trial);
    print_cycles(label, flow, c);
    require_equal(c);
  }
}

// VGG-8 (CIFAR, 32x32) on a heterogeneous design with several groups. Hidden from the default
// run (about a minute on one core): `test_emulate "[slow]"`.
TEST_CASE("emulator: VGG-8 equals the analog reference", "[.][slow]") {
  const Flow flow = make_flow(example("vgg8"), {}, 1.2);
  const Comparison c = compare_with_analog(flow);
  print_cycles("vgg8 hetero x1.2", flow, c);
  require_equal(c);
}

}  // namespace
}  // namespace pimhls::test
