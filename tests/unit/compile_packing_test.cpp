// A depthwise unit whose two copies sit on arrays of two sizes (design.json written by hand):
// each copy packs as many groups as fit its own arrays (cost::evaluate_layer), so its engine
// sees packs of 2 groups (9 rows each in 32x32 arrays: 3 fit, 2 divide 8) or of 4 (64x64:
// 7 fit by rows, 8 by columns), and both compute the exact product with lossless readout.
#include <catch2/catch.hpp>

#include "compile/compile.h"
#include "compile_test_flow.h"
#include "quant_graphs.h"

namespace pimhls::test {
namespace {

const char* const kTwoSizes = R"({
  "schema": "pimhls-design", "version": 1, "design": "hand", "network": "test",
  "arithmetic": {"weight_bits": 8, "activation_bits": 8, "accumulator_bits": 32},
  "clock_ghz": 1.0, "latency_cycles": 0,
  "tile_sets": [{"id": 0, "technology": "sram", "first_tile": 0, "tiles": 1, "array_rows": 32,
                 "array_cols": 32, "adcs_per_array": 8},
                {"id": 1, "technology": "sram", "first_tile": 1, "tiles": 1, "array_rows": 64,
                 "array_cols": 64, "adcs_per_array": 8}],
  "layers": [{"index": 0, "name": "Conv_0", "units": [0],
              "array": {"rows": 32, "cols": 32, "bits_per_cell": 1, "dac_bits": 1,
                        "parallel_rows": 32, "adc_bits": 8, "adc": "lossless",
                        "encoding": "twos", "input_encoding": "twos", "whole_kernels": true,
                        "groups_per_array": 2}}],
  "units": [{"id": 0, "layer": 0, "name": "Conv_0", "technology": "sram", "column_piece": 0,
             "column_pieces": 1, "row_piece": 0, "row_pieces": 1, "out_channel_offset": 0,
             "out_channels": 8, "in_channel_offset": 0, "in_channels": 1, "kernel_area": 9,
             "groups": 8, "vectors": 16, "lead_vectors": 16}],
  "groups": [{"id": 0, "first_unit": 0, "last_unit": 0, "start_cycle": 0, "reload_cycles": 0,
              "compute_cycles": 0, "spill_cycles": 0, "end_cycle": 0,
              "mapping": [{"unit": 0, "duplication": 2,
                           "copies": [{"first_tile": 0, "tiles": 1, "tile_sets": [0]},
                                      {"first_tile": 1, "tiles": 1, "tile_sets": [1]}]}]}]
})";

// The values each weight engine SETs register `reg` to.
std::vector<std::int64_t> set_values(const compile::Program& program, std::uint8_t reg) {
  std::vector<std::int64_t> values;
  for (const compile::Engine& engine : program.engines)
    if (engine.kind == compile::Controller::Weight)
      for (const compile::Instruction& i : engine.program)
        if (i.op == compile::Opcode::Set && i.reg == reg) values.push_back(i.imm);
  return values;
}

TEST_CASE("copies of a depthwise unit on two array sizes each pack as many groups as fit") {
  GraphBuilder builder(3);
  const ir::ValueId x = builder.input({1, 8, 4, 4});
  const ir::Graph graph = builder.finish(builder.conv(x, 8, 3, 1, 1, 8));
  Flow flow;
  flow.library = hw::builtin_library();
  flow.graph = quant::quantize(graph, quant::random_input_sets(graph, 2, 9),
                               quant::with_library_bits(flow.library, {}));
  flow.design_text = kTwoSizes;
  flow.design = compile::parse_design_info(kTwoSizes, "two_sizes.json");
  flow.program = compile::compile_design(flow.graph, flow.design, flow.library);
  // One engine per configuration: packs of 2 groups (4 of them) and of 4 (2 of them).
  CHECK(set_values(flow.program, compile::ereg::kGroups) == std::vector<std::int64_t>{4, 2});
  CHECK(set_values(flow.program, compile::ereg::kInCCnt) == std::vector<std::int64_t>{2, 4});
  CHECK(set_values(flow.program, compile::ereg::kOutCPerGroup) == std::vector<std::int64_t>{2, 4});
  const Comparison c = compare_with_analog(flow, 5);
  REQUIRE(c.actual.size() == 1);
  CHECK(c.actual[0].data == c.expected[0].data);
}

}  // namespace
}  // namespace pimhls::test
