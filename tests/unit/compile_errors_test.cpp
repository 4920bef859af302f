// What the compiler refuses, with one line naming the design file and the unit or key.
#include <catch2/catch.hpp>

#include "compile_test_flow.h"
#include "compile_test_tiny.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

TEST_CASE("errors: design.json keys", "[compile]") {
  CHECK_THROWS_WITH(compile::parse_design_info("{", "d.json"),
                    Catch::StartsWith("d.json: not valid JSON"));
  CHECK_THROWS_WITH(
      compile::parse_design_info(with(kTinyDesign, "\"network\": \"test\",", ""), "d.json"),
      Catch::Contains("d.json: missing key 'network'"));
  CHECK_THROWS_WITH(compile::parse_design_info(with(kTinyDesign, "\"tiles\": 1, \"array_rows\"",
                                                    "\"tiles\": \"1\", \"array_rows\""),
                                               "d.json"),
                    Catch::Contains("d.json: tile_sets[0]: key 'tiles' must be an integer"));
  CHECK_THROWS_WITH(compile::parse_design_info(
                        with(kTinyDesign, "\"adc\": \"lossless\"", "\"adc\": \"magic\""), "d.json"),
                    Catch::Contains("layers[0]"));
}

TEST_CASE("errors: designs the RTL does not support name the unit", "[compile]") {
  GraphBuilder builder(5);
  const ir::ValueId x = builder.input({1, 2, 4, 4});
  const ir::Graph graph =
      builder.finish(builder.pool(ir::Op::MaxPool, builder.conv(x, 4, 3, 1, 1), 2, 2));
  const hw::Library library = hw::builtin_library();
  const quant::QuantizedGraph q = quant::quantize(graph, quant::random_input_sets(graph, 2, 9),
                                                  quant::with_library_bits(library, {}));
  // The layer's name does not match the network's.
  CHECK_THROWS_WITH(compile::compile_design(q,
                                            compile::parse_design_info(
                                                with(kTinyDesign, "\"name\": \"Conv_0\", \"units\"",
                                                     "\"name\": \"conv9\", \"units\""),
                                                "d.json"),
                                            library),
                    Catch::Contains("layers[0] is 'conv9'"));
  // Too few tiles for the arrays: 4 output channels x 8 slices need 32 columns; with 16
  // columns they need 2 arrays, and 1 tile of 16 arrays still fits; with 1 array per tile not.
  hw::Library small = library;
  for (hw::TileType& t : small.tile_types) t.arrays_per_tile = 1;
  CHECK_THROWS_WITH(compile::compile_design(
                        q,
                        compile::parse_design_info(
                            with(with(kTinyDesign, "\"array_cols\": 32", "\"array_cols\": 16"),
                                 "\"cols\": 32", "\"cols\": 16"),
                            "d.json"),
                        small),
                    Catch::Contains("unit 0 ('Conv_0')") && Catch::Contains("do not fit"));
}

// The optimizer estimates a batch (the samples stream through the pipeline); the RTL runs one.
TEST_CASE("errors: a batch of several samples says how to get RTL", "[compile]") {
  GraphBuilder b(3);
  const ir::Graph graph = b.finish(b.conv(b.input({2, 2, 4, 4}), 4, 3, 1, 1));
  CHECK_THROWS_WITH(make_flow(graph, {"sram"}, 2.0),
                    Catch::Contains("tensor of shape 2x2x4x4: the RTL infers one sample per "
                                    "run; export the model with batch 1 or a dynamic batch "
                                    "(taken as 1), or estimate batch 2 with gen --no-rtl"));
}

// Add broadcasts one operand to the other's shape (a value per channel, pixel, row, column or
// one); the mean of each row ([N, C, H, 1]) plus the mean of each column ([N, C, 1, W]), where
// neither is the output's shape, is one line naming the node.
TEST_CASE("errors: an Add of a row and a column names the node", "[compile]") {
  GraphBuilder b(3);
  const ir::ValueId y = b.conv(b.input({1, 2, 4, 4}), 4, 3, 1, 1);
  const auto mean = [&](const char* name, std::int64_t kh, std::int64_t kw, ir::Dims shape) {
    ir::Node pool;
    pool.name = name;
    pool.op = ir::Op::AveragePool;
    pool.inputs = {y};
    pool.window.kernel_h = kh;
    pool.window.kernel_w = kw;
    return b.add_node(std::move(pool), std::move(shape));
  };
  ir::Node add;
  add.name = "add_row_column";
  add.op = ir::Op::Add;
  add.inputs = {mean("row_mean", 1, 4, {1, 4, 4, 1}), mean("column_mean", 4, 1, {1, 4, 1, 4})};
  const ir::Graph graph = b.finish(b.add_node(std::move(add), {1, 4, 4, 4}));
  CHECK_THROWS_WITH(make_flow(graph, {"sram"}, 2.0),
                    Catch::Contains("node 'add_row_column' (Add): broadcasting Add is not "
                                    "supported by the RTL yet"));
}

}  // namespace
}  // namespace pimhls::test
