#pragma once
// A design written by hand: one SRAM tile set of 32x32 arrays running Conv 3x3 (2 -> 4
// channels, pad 1, ReLU) on a 4x4 input, then MaxPool 2x2 on a vector engine.
#include "compile_test_flow.h"
#include "quant_graphs.h"

namespace pimhls::test {

inline const char* const kTinyDesign = R"({
  "schema": "pimhls-design", "version": 1, "design": "hand", "network": "test",
  "arithmetic": {"weight_bits": 8, "activation_bits": 8, "accumulator_bits": 32},
  "clock_ghz": 1.0, "latency_cycles": 0,
  "tile_sets": [{"id": 0, "technology": "sram", "first_tile": 0, "tiles": 1, "array_rows": 32,
                 "array_cols": 32, "adcs_per_array": 8}],
  "layers": [{"index": 0, "name": "Conv_0", "units": [0],
              "array": {"rows": 32, "cols": 32, "bits_per_cell": 1, "dac_bits": 1,
                        "parallel_rows": 32, "adc_bits": 8, "adc": "lossless",
                        "encoding": "twos", "input_encoding": "twos", "whole_kernels": true}}],
  "units": [{"id": 0, "layer": 0, "name": "Conv_0", "technology": "sram", "column_piece": 0,
             "column_pieces": 1, "row_piece": 0, "row_pieces": 1, "out_channel_offset": 0,
             "out_channels": 4, "in_channel_offset": 0, "in_channels": 2, "kernel_area": 9,
             "groups": 1, "vectors": 16, "lead_vectors": 16}],
  "groups": [{"id": 0, "first_unit": 0, "last_unit": 0, "start_cycle": 0, "reload_cycles": 0,
              "compute_cycles": 0, "spill_cycles": 0, "end_cycle": 0,
              "mapping": [{"unit": 0, "duplication": 1,
                           "copies": [{"first_tile": 0, "tiles": 1, "tile_sets": [0]}]}]}]
})";

struct TinyProgram {
  quant::QuantizedGraph graph;
  compile::Program program;
};

inline TinyProgram tiny_program() {
  GraphBuilder builder(5);
  const ir::ValueId x = builder.input({1, 2, 4, 4});
  const ir::ValueId y = builder.pool(ir::Op::MaxPool, builder.conv(x, 4, 3, 1, 1), 2, 2);
  const ir::Graph graph = builder.finish(y);
  const hw::Library library = hw::builtin_library();
  TinyProgram tiny;
  tiny.graph = quant::quantize(graph, quant::random_input_sets(graph, 2, 9),
                               quant::with_library_bits(library, {}));
  tiny.program = compile::compile_design(
      tiny.graph, compile::parse_design_info(kTinyDesign, "tiny.json"), library);
  return tiny;
}

}  // namespace pimhls::test
