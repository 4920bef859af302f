// The analog PIM model: tiny layers worked out by hand (lossy ADCs), the row-by-row path
// against the bit-plane kernel, and analog == integer with lossless ADCs on random layers and
// random array parameters.
#include <catch2/catch.hpp>
#include <random>

#include "quant/analog_mvm.h"
#include "quant/analog_reference.h"
#include "quant/design_arrays.h"
#include "quant/from_library.h"
#include "quant/int_reference.h"
#include "quant/quantize.h"
#include "quant_graphs.h"
#include "util/error.h"

using namespace pimhls;
using namespace pimhls::quant;

namespace {

ArrayParams array(int rows, int bits_per_cell, int dac_bits, int parallel_rows, int adc_bits,
                  AdcMode mode, WeightEncoding encoding) {
  ArrayParams params;
  params.rows = rows;
  params.cols = 16;
  params.bits_per_cell = bits_per_cell;
  params.dac_bits = dac_bits;
  params.parallel_rows = parallel_rows;
  params.adc_bits = adc_bits;
  params.adc_mode = mode;
  params.encoding = encoding;
  return params;
}

// One output column: sum_k w[k] * x[k] through the arrays.
std::int64_t column(const std::vector<std::int32_t>& weights,
                    const std::vector<std::int32_t>& inputs, int weight_bits, int input_bits,
                    bool signed_input, const ArrayParams& params, Nonideality* nonideal = nullptr) {
  LayerMatrix matrix;
  matrix.rows = static_cast<std::int64_t>(weights.size());
  matrix.columns = 1;
  matrix.weight_bits = weight_bits;
  matrix.input_bits = input_bits;
  matrix.signed_input = signed_input;
  AnalogLayer layer(weights, matrix, params, "test");
  std::vector<std::int64_t> result(1);
  layer.multiply(0, inputs, 1, result, nonideal);
  return result[0];
}

// Passes the ideal sum on: forces the row-by-row path without changing the arithmetic.
class PassThrough final : public Nonideality {
 public:
  double sample(const ColumnSample& sample) override {
    ++samples;
    return static_cast<double>(sample.ideal_sum);
  }
  std::int64_t samples = 0;
};

// Adds 0.6 of a level to every sample.
class Offset final : public Nonideality {
 public:
  double sample(const ColumnSample& sample) override {
    return static_cast<double>(sample.ideal_sum) + 0.6;
  }
};

// Two's complement, 3-bit weights {3, -2, 1, -1} (bits 011, 110, 001, 111), 2-bit inputs
// {3, 1, 2, 3}, 1-bit cells and DAC, one block of 4 rows. Input bit planes: bit 0 {1,1,0,1},
// bit 1 {1,0,1,1}. Weight bit planes: bit 0 {1,0,1,1}, bit 1 {1,1,0,1}, sign bit 2 {0,1,0,1}.
// Column sums P(input bit, weight bit):
//   P(0,0) = 2  P(0,1) = 3  P(0,2) = 2
//   P(1,0) = 3  P(1,1) = 2  P(1,2) = 1
// Exact: sum_j 2^j (P(j,0) + 2 P(j,1) - 4 P(j,2)) = (2 + 6 - 8) + 2 (3 + 4 - 4) = 6
//        = 3*3 - 2*1 + 1*2 - 1*3.
const std::vector<std::int32_t> kWeightsA{3, -2, 1, -1};
const std::vector<std::int32_t> kInputsA{3, 1, 2, 3};

}  // namespace

TEST_CASE("two's complement slices with a wide enough ADC give the exact sum") {
  CHECK(column(kWeightsA, kInputsA, 3, 2, false,
               array(4, 1, 1, 4, 2, AdcMode::Clip, WeightEncoding::TwosComplement)) == 6);
  CHECK(column(kWeightsA, kInputsA, 3, 2, false,
               array(4, 1, 1, 4, 3, AdcMode::Scale, WeightEncoding::TwosComplement)) == 6);
}

TEST_CASE("a clipping ADC saturates each column sum") {
  // 1-bit clip: every P becomes min(P, 1): (1 + 2 - 4) + 2 (1 + 2 - 4) = -3.
  CHECK(column(kWeightsA, kInputsA, 3, 2, false,
               array(4, 1, 1, 4, 1, AdcMode::Clip, WeightEncoding::TwosComplement)) == -3);
}

TEST_CASE("a scaling ADC rounds each column sum to its LSB, halves to even") {
  // 2-bit scale ADC over 4 rows of 1-bit cells and inputs: full scale 4 needs 3 bits, so the
  // LSB is 2: P = 1 -> 0.5 -> 0; 2 -> 1 -> 2; 3 -> 1.5 -> 2 -> 4.
  // (2 + 2*4 - 4*2) + 2 (4 + 2*2 - 4*0) = 2 + 16 = 18.
  const ArrayParams params = array(4, 1, 1, 4, 2, AdcMode::Scale, WeightEncoding::TwosComplement);
  CHECK(make_adc(params, 4).shift == 1);
  CHECK(column(kWeightsA, kInputsA, 3, 2, false, params) == 18);
}

TEST_CASE("row blocks are converted separately") {
  // parallel_rows 2: rows {0,1} and {2,3}. Block 0 sums: P(0,*) = 1, 2, 1; P(1,*) = 1, 1, 0.
  // Block 1: P(0,*) = 1, 1, 1; P(1,*) = 2, 1, 1. With a 1-bit clip ADC:
  // block 0: (1 + 2 - 4) + 2 (1 + 2 - 0) = 5; block 1: (1 + 2 - 4) + 2 (1 + 2 - 4) = -3.
  CHECK(column(kWeightsA, kInputsA, 3, 2, false,
               array(4, 1, 1, 2, 1, AdcMode::Clip, WeightEncoding::TwosComplement)) == 2);
  // Two arrays of 2 rows each give the same blocks.
  CHECK(column(kWeightsA, kInputsA, 3, 2, false,
               array(2, 1, 1, 2, 1, AdcMode::Clip, WeightEncoding::TwosComplement)) == 2);
}

TEST_CASE(
    "offset encoding subtracts 2^(bits-1) times the inputs, digitally or by a reference column") {
  // 4-bit weights {5, -3} stored as w + 8 = {13, 5} = {1101, 0101}; 2-bit cells: slice 0
  // (bits 0-1) {1, 1}, slice 1 (bits 2-3) {3, 1}. Inputs {9, 6} = {1001, 0110} through a 2-bit
  // DAC: phase 0 {1, 2}, phase 1 {2, 1}.
  //   phase 0: P0 = 1+2 = 3, P1 = 3+2 = 5
  //   phase 1: P0 = 2+1 = 3, P1 = 6+1 = 7
  // Digital offset: -8 * (9 + 6) = -120, exact.
  //   (3 + 4*5) + 4 (3 + 4*7) - 120 = 23 + 124 - 120 = 27 = 5*9 - 3*6.
  const std::vector<std::int32_t> weights{5, -3}, inputs{9, 6};
  auto run = [&](int adc_bits, AdcMode mode, WeightEncoding encoding) {
    return column(weights, inputs, 4, 4, false, array(2, 2, 2, 2, adc_bits, mode, encoding));
  };
  CHECK(run(5, AdcMode::Clip, WeightEncoding::Offset) == 27);
  // 2-bit clip (codes up to 3): 5, 7 -> 3: (3 + 12) + 4 (3 + 12) - 120 = -45.
  CHECK(run(2, AdcMode::Clip, WeightEncoding::Offset) == -45);
  // 3-bit scale: full scale 2 rows * 3 * 3 = 18 needs 5 bits, LSB 4: 3 -> 4, 5 -> 4, 7 -> 8:
  // (4 + 16) + 4 (4 + 32) - 120 = 44.
  CHECK(run(3, AdcMode::Scale, WeightEncoding::Offset) == 44);
  // Reference column: cells at level 2, shift-add weight 2^2; its sums R = 2 (1+2) = 6 in
  // phase 0 and 2 (2+1) = 6 in phase 1 go through the ADC too:
  //   exact: (3 + 20 - 4*6) + 4 (3 + 28 - 4*6) = -1 + 28 = 27
  //   2-bit clip (R -> 3): (3 + 12 - 12) + 4 (3 + 12 - 12) = 15
  //   3-bit scale (R = 6 -> 1.5 -> 2 (to even) -> 8): (4 + 16 - 32) + 4 (4 + 32 - 32) = 4
  CHECK(run(5, AdcMode::Clip, WeightEncoding::OffsetReference) == 27);
  CHECK(run(2, AdcMode::Clip, WeightEncoding::OffsetReference) == 15);
  CHECK(run(3, AdcMode::Scale, WeightEncoding::OffsetReference) == 4);
}

TEST_CASE("signed inputs: a subtracted sign phase, or an offset corrected exactly") {
  // x = {-7, 6} as 4-bit signed codes: exact 5*(-7) - 3*6 = -53 in every encoding.
  const std::vector<std::int32_t> weights{5, -3}, inputs{-7, 6};
  for (WeightEncoding encoding :
       {WeightEncoding::Offset, WeightEncoding::OffsetReference, WeightEncoding::TwosComplement})
    for (InputEncoding input : {InputEncoding::TwosComplement, InputEncoding::Offset}) {
      ArrayParams params = array(2, 2, 2, 2, 8, AdcMode::Clip, encoding);
      params.input_encoding = input;
      CHECK(column(weights, inputs, 4, 4, true, params) == -53);
    }
  // Sign phase with a lossy ADC: 3-bit weights {3, 3} (011), 3-bit inputs {-1, -1} (111):
  // phases bit 0, bit 1 and the sign bit all {1, 1}; slices bit 0 {1, 1}, bit 1 {1, 1}, sign
  // {0, 0}: P = 2, 2, 0 in every phase. Exact: (2 + 4) (1 + 2 - 4) = -6. A 1-bit clip ADC
  // reads 1 for 2: (1 + 2) (1 + 2 - 4) = -3.
  const std::vector<std::int32_t> threes{3, 3}, minus_ones{-1, -1};
  CHECK(column(threes, minus_ones, 3, 3, true,
               array(2, 1, 1, 2, 2, AdcMode::Clip, WeightEncoding::TwosComplement)) == -6);
  CHECK(column(threes, minus_ones, 3, 3, true,
               array(2, 1, 1, 2, 1, AdcMode::Clip, WeightEncoding::TwosComplement)) == -3);
}

TEST_CASE("the non-ideality hook sees every sample") {
  // Lossless readout of P + 0.6 rounds to P + 1 in each of the 6 samples of case A:
  // 6 + (1 + 2 - 4) + 2 (1 + 2 - 4) = 3.
  Offset offset;
  CHECK(column(kWeightsA, kInputsA, 3, 2, false,
               array(4, 1, 1, 4, 8, AdcMode::Lossless, WeightEncoding::TwosComplement),
               &offset) == 3);
  CHECK(make_nonideality(NonidealConfig{}) == nullptr);
  NonidealConfig noisy;
  noisy.read_noise_sigma = 0.1;
  CHECK_THROWS_WITH(make_nonideality(noisy), Catch::Contains("not implemented"));
}

TEST_CASE("the row-by-row path equals the bit-plane kernel with lossy ADCs") {
  std::mt19937 random(42);
  auto pick = [&](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
  };
  for (int trial = 0; trial < 40; ++trial) {
    LayerMatrix matrix;
    matrix.groups = pick(1, 2);
    matrix.rows = pick(1, 150);
    matrix.columns = pick(1, 5);
    matrix.weight_bits = pick(2, 8);
    matrix.input_bits = pick(2, 8);
    matrix.signed_input = pick(0, 1) == 1;
    ArrayParams params;
    params.rows = pick(8, 160);
    params.parallel_rows = pick(1, params.rows);
    params.cols = 64;
    params.bits_per_cell = pick(1, 4);
    params.dac_bits = pick(1, 4);
    params.adc_bits = pick(2, 7);
    params.adc_mode = pick(0, 1) == 0 ? AdcMode::Clip : AdcMode::Scale;
    params.encoding = static_cast<WeightEncoding>(pick(0, 2));
    params.input_encoding = static_cast<InputEncoding>(pick(0, 1));
    const int limit = (1 << (matrix.weight_bits - 1)) - 1;
    std::vector<std::int32_t> weights(
        static_cast<std::size_t>(matrix.groups * matrix.columns * matrix.rows));
    for (std::int32_t& w : weights) w = pick(-limit, limit);
    const std::int64_t vectors = pick(1, 4);
    std::vector<std::int32_t> inputs(static_cast<std::size_t>(matrix.rows * vectors));
    const int low = matrix.signed_input ? -(1 << (matrix.input_bits - 1)) : 0;
    const int high =
        matrix.signed_input ? (1 << (matrix.input_bits - 1)) - 1 : (1 << matrix.input_bits) - 1;
    for (std::int32_t& x : inputs) x = pick(low, high);
    AnalogLayer fast(weights, matrix, params, "fast"), slow(weights, matrix, params, "slow");
    PassThrough pass;
    const std::int64_t group = matrix.groups - 1;
    std::vector<std::int64_t> a(static_cast<std::size_t>(matrix.columns * vectors)), b(a.size());
    fast.multiply(group, inputs, vectors, a);
    slow.multiply(group, inputs, vectors, b, &pass);
    INFO("trial " << trial << ": " << describe(params) << ", " << matrix.rows << " rows");
    CHECK(a == b);
    CHECK(fast.counters().samples == slow.counters().samples);
    CHECK(fast.counters().saturated == slow.counters().saturated);
    CHECK(pass.samples == slow.counters().samples);
  }
}

TEST_CASE("analog equals integer with lossless ADCs on random layers and arrays") {
  std::mt19937 random(7);
  auto pick = [&](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
  };
  for (int trial = 0; trial < 12; ++trial) {
    // conv (stride, pad, groups) -> conv -> residual add -> ReLU -> pool -> gemm.
    test::GraphBuilder builder(static_cast<unsigned>(100 + trial));
    const std::int64_t channels = 2 * pick(1, 4);
    const ir::ValueId x = builder.input({1, channels, 10, 9});
    const ir::ValueId a =
        builder.conv(x, 2 * channels, 3, pick(1, 2), pick(0, 2), pick(1, 2), true);
    const ir::ValueId b = builder.conv(a, 2 * channels, 3, 1, 1, 1, false);
    const ir::ValueId skip = builder.conv(a, 2 * channels, 1, 1, 0, 2 * channels / 2, false);
    const ir::ValueId sum = builder.relu(builder.add(b, skip));
    const ir::ValueId pooled = builder.pool(ir::Op::MaxPool, sum, 2, 2);
    const ir::ValueId y = builder.gemm(builder.flatten(pooled), pick(3, 12));
    const ir::Graph graph = builder.finish(y);
    QuantConfig config;
    config.weight_bits = pick(3, 8);
    config.activation_bits = pick(3, 8);
    const QuantizedGraph q =
        quantize(graph, random_input_sets(graph, 2, static_cast<unsigned>(trial)), config);

    ArrayParams params;
    params.rows = pick(4, 200);
    params.parallel_rows = pick(1, params.rows);
    params.cols = 64;
    params.bits_per_cell = pick(1, 4);
    params.dac_bits = pick(1, 4);
    params.encoding = static_cast<WeightEncoding>(pick(0, 2));
    params.input_encoding = static_cast<InputEncoding>(pick(0, 1));
    params.whole_kernels = pick(0, 1) == 1;
    params.adc_mode = pick(0, 2) == 0   ? AdcMode::Clip
                      : pick(0, 1) == 0 ? AdcMode::Scale
                                        : AdcMode::Lossless;
    // Just wide enough: the bits of the largest sum of a block.
    const std::int64_t full_scale = static_cast<std::int64_t>(params.parallel_rows) *
                                    ((1 << params.dac_bits) - 1) *
                                    ((1 << params.bits_per_cell) - 1);
    params.adc_bits = 0;
    while ((full_scale >> params.adc_bits) != 0) ++params.adc_bits;
    AnalogConfig analog;
    analog.arrays.fallback = params;
    // Every other layer gets its own, narrower array (per-layer parameters).
    ArrayParams narrow = params;
    narrow.rows = narrow.parallel_rows = std::max(1, params.parallel_rows / 2);
    analog.arrays.layers[graph.nodes[1].name] = narrow;

    const std::vector<ir::Tensor> inputs =
        random_input_sets(graph, 1, static_cast<unsigned>(50 + trial)).front();
    std::vector<IntTensor> int_values, analog_values;
    run_int(q, inputs, [&](int, const IntTensor& out) { int_values.push_back(out); });
    std::vector<AnalogLayerReport> report;
    run_analog(
        q, analog, inputs, [&](int, const IntTensor& out) { analog_values.push_back(out); },
        &report);
    INFO("trial " << trial << ": " << describe(params) << ", " << config.weight_bits
                  << "-bit weights, " << config.activation_bits << "-bit activations");
    REQUIRE(int_values.size() == analog_values.size());
    for (std::size_t i = 0; i < int_values.size(); ++i) {
      INFO("node " << graph.nodes[i].name);
      CHECK(int_values[i].data == analog_values[i].data);
    }
    REQUIRE(report.size() == 4);
    for (const AnalogLayerReport& layer : report) {
      CHECK(layer.lossless);
      CHECK(layer.counters.samples > 0);
      CHECK(layer.counters.saturated == 0);
    }
    CHECK(report[1].params == narrow);
  }
}

TEST_CASE("a narrow ADC changes the network's output and is reported") {
  test::GraphBuilder builder(5);
  const ir::ValueId x = builder.input({1, 8, 6, 6});
  const ir::ValueId y = builder.gemm(builder.flatten(builder.conv(x, 16, 3, 1, 1)), 10);
  const ir::Graph graph = builder.finish(y);
  const QuantizedGraph q = quantize(graph, random_input_sets(graph, 2, 1), QuantConfig{});
  const std::vector<ir::Tensor> inputs = random_input_sets(graph, 1, 3).front();
  AnalogConfig analog;
  analog.arrays.fallback =
      parse_array_spec("rows=64,parallel_rows=64,bits_per_cell=2,adc_bits=4,adc=clip", "test");
  std::vector<AnalogLayerReport> report;
  const IntResult lossy = run_analog(q, analog, inputs, {}, &report);
  CHECK(lossy.outputs[0].data != run_int(q, inputs).outputs[0].data);
  REQUIRE(report.size() == 2);
  CHECK_FALSE(report[0].lossless);
  CHECK(report[0].counters.saturated > 0);
}

TEST_CASE("array parameters parse, validate and derive slices") {
  const ArrayParams params =
      parse_array_spec("rows=256, parallel_rows=64,adc=digital,encoding=twos", "--array");
  CHECK(params.rows == 256);
  CHECK(params.parallel_rows == 64);
  CHECK(params.adc_mode == AdcMode::Lossless);
  CHECK(params.encoding == WeightEncoding::TwosComplement);
  CHECK_THROWS_WITH(parse_array_spec("adc_bit=9", "--array"),
                    Catch::Contains("--array") && Catch::Contains("did you mean 'adc_bits'"));
  CHECK_THROWS_WITH(parse_array_spec("rows=x", "--array"), Catch::Contains("not an integer"));
  CHECK_THROWS_WITH(validate(parse_array_spec("parallel_rows=300", "a"), 8, "a"),
                    Catch::Contains("parallel_rows"));
  // 8-bit weights in 2-bit cells: offset -> 4 slices (plus a reference column per array with
  // offset_ref); two's complement -> 7 magnitude bits in 4 slices + the sign slice.
  ArrayParams offset;
  offset.bits_per_cell = 2;
  CHECK(weight_slices(offset, 8).size() == 4);
  CHECK(weights_per_array(offset, 8) == 128 / 4);
  offset.encoding = WeightEncoding::OffsetReference;
  CHECK(weights_per_array(offset, 8) == (128 - 1) / 4);
  // Signed 8-bit inputs with a 2-bit DAC: 7 magnitude bits in 4 phases + the sign phase.
  offset.dac_bits = 2;
  const std::vector<InputChunk> phases = input_chunks(offset, 8, true);
  REQUIRE(phases.size() == 5);
  CHECK(phases[3].bits == 1);
  CHECK(phases[4].negative);
  CHECK(input_chunks(offset, 8, false).size() == 4);
  ArrayParams twos = offset;
  twos.encoding = WeightEncoding::TwosComplement;
  const std::vector<WeightSlice> slices = weight_slices(twos, 8);
  REQUIRE(slices.size() == 5);
  CHECK(slices[3].first_bit == 6);
  CHECK(slices[3].bits == 1);
  CHECK(slices[4].negative);
  twos.cols = 4;
  CHECK_THROWS_WITH(validate(twos, 8, "tile"), Catch::Contains("needs 5 columns"));
  // Whole kernels: a 128-row array holds 14 kernels of 9 taps (126 rows).
  ArrayParams whole;
  whole.whole_kernels = true;
  whole.parallel_rows = 128;
  const std::vector<RowBlock> blocks = row_blocks(whole, 300, 9);
  REQUIRE(blocks.size() == 3);
  CHECK(blocks[1].first_row == 126);
  CHECK(blocks[2].rows == 300 - 252);
}

TEST_CASE("per-layer arrays come from a design") {
  const std::string design = R"({
    "tiles": [{"name": "rram0", "array": {"rows": 256, "bits_per_cell": 2, "adc_bits": 10}}],
    "layers": [{"name": "conv1", "tile": "rram0"},
               {"name": "fc", "array": {"rows": 64, "adc": "digital", "encoding": "twos"}}]})";
  const ArrayMap map = parse_design_arrays(design, "design.json");
  CHECK(map.at("conv1").rows == 256);
  CHECK(map.at("conv1").adc_bits == 10);
  CHECK(map.at("fc").adc_mode == AdcMode::Lossless);
  CHECK(map.at("other") == ArrayParams{});
  CHECK_THROWS_WITH(parse_design_arrays(R"({"layers": [{"name": "a", "tile": "x"}]})", "d.json"),
                    Catch::Contains("d.json: layer 'a'") && Catch::Contains("tile x"));
  CHECK_THROWS_WITH(
      parse_design_arrays(R"({"layers": [{"name": "a", "array": {"rows": "many"}}]})", "d.json"),
      Catch::Contains("rows=many"));
  CHECK_THROWS_WITH(parse_design_arrays("{", "d.json"), Catch::Contains("not valid JSON"));
}

TEST_CASE("arrays come from the hardware library's tile types") {
  const hw::Library& library = hw::builtin_library();
  const ArrayParams rram = array_params(library, "rram");
  const hw::TileType& tile =
      library.tile_types.at(static_cast<std::size_t>(library.tile_type_index("rram")));
  CHECK(rram.rows == tile.baseline_array_size);
  CHECK(rram.bits_per_cell == tile.bits_per_cell);
  CHECK(rram.dac_bits == tile.dac.bits);
  CHECK(rram.parallel_rows == std::min(tile.parallel_rows, tile.baseline_array_size));
  CHECK(rram.adc_bits == tile.readout.bits);
  CHECK(rram.adc_mode == AdcMode::Clip);
  CHECK(rram.encoding == WeightEncoding::Offset);
  CHECK(rram.whole_kernels);
  const ArrayParams sram = array_params(library, "sram", 64);
  CHECK(sram.rows == 64);
  CHECK(sram.parallel_rows == 64);
  CHECK(sram.adc_mode == AdcMode::Lossless);
  CHECK(sram.encoding == WeightEncoding::TwosComplement);
  CHECK_THROWS_WITH(array_params(library, "rrm"), Catch::Contains("did you mean 'rram'"));
  const QuantConfig bits = with_library_bits(library, QuantConfig{});
  CHECK(bits.weight_bits == library.arithmetic.weight_bits);
  CHECK(bits.activation_bits == library.arithmetic.activation_bits);
}

TEST_CASE("VGG-8 on 256-row arrays of 1-bit cells with a 9-bit ADC equals the integer reference",
          "[examples]") {
  // 256 rows x 1-bit inputs x 1-bit cells sum to at most 256: 9 bits hold every sum.
  const ir::Graph graph = test::example("vgg8");
  const QuantizedGraph q = quantize(graph, random_input_sets(graph, 2, 2), QuantConfig{});
  const std::vector<ir::Tensor> inputs = random_input_sets(graph, 1, 77).front();
  std::vector<IntTensor> int_values;
  run_int(q, inputs, [&](int, const IntTensor& out) { int_values.push_back(out); });
  AnalogConfig analog;
  analog.arrays.fallback = parse_array_spec(
      "rows=256,cols=256,bits_per_cell=1,dac_bits=1,parallel_rows=256,adc_bits=9", "test");
  for (AdcMode mode : {AdcMode::Clip, AdcMode::Scale}) {
    analog.arrays.fallback.adc_mode = mode;
    std::size_t node = 0;
    bool all_equal = true;
    run_analog(q, analog, inputs, [&](int, const IntTensor& out) {
      all_equal = all_equal && out.data == int_values.at(node++).data;
    });
    CHECK(node == int_values.size());
    CHECK(all_equal);
  }
  // One bit less is not enough: the 8-bit scaled ADC rounds the sums to even numbers.
  analog.arrays.fallback.adc_bits = 8;
  CHECK(run_analog(q, analog, inputs).outputs[0].data != int_values.back().data);
}
