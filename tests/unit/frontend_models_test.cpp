// Real exported models: the PyTorch fixtures (tests/data/torch_*), the example networks
// (examples/*.onnx) and ONNX's own node tests. Expected shapes come from the reference outputs
// stored next to each model; expected parameter counts from the network definitions.
#include <onnx/onnx_pb.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "frontend/onnx_import.h"
#include "frontend/tensor_file.h"
#include "ir/layer_stats.h"

namespace pimhls::test {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = PIMHLS_SOURCE_DIR;
const fs::path kOnnxNodeTests = "/usr/include/onnx/backend/test/data/node";

std::int64_t total_parameters(const ir::Graph& graph) {
  std::int64_t total = 0;
  for (const ir::Node& node : graph.nodes) total += ir::layer_stats(graph, node).parameters;
  return total;
}

// Imports dir/model.onnx with dynamic input dimensions fixed by test_data_set_0/input_0.pb.
ir::Graph import_fixture(const fs::path& dir, frontend::ImportOptions options = {}) {
  onnx::ModelProto model;
  std::ifstream file(dir / "model.onnx", std::ios::binary);
  REQUIRE(model.ParseFromIstream(&file));
  const ir::Tensor input = frontend::read_tensor_file(dir / "test_data_set_0" / "input_0.pb");
  options.input_shapes[model.graph().input(0).name()] = input.shape;
  return frontend::import_onnx(dir / "model.onnx", options);
}

TEST_CASE("PyTorch fixtures import with the reference output's shape") {
  const fs::path data = kSource / "tests" / "data";
  if (!fs::is_directory(data)) return;
  for (const auto& entry : fs::directory_iterator(data)) {
    if (entry.path().filename().string().rfind("torch_", 0) != 0) continue;
    INFO(entry.path().filename().string());
    const ir::Graph graph = import_fixture(entry.path());
    const ir::Tensor expected =
        frontend::read_tensor_file(entry.path() / "test_data_set_0" / "output_0.pb");
    REQUIRE(graph.outputs.size() == 1);
    CHECK(graph.model_output_shape(0) == expected.shape);
    CHECK_FALSE(graph.weight_layers().empty());
  }
}

// Opset 11 fixtures keep BatchNormalization, Transpose, Clip bounds as Constant nodes and the
// Shape chain (no constant folding at export); opset 13 ones were folded by PyTorch. Importing
// both must give the same layers and, weight for weight, the same numbers: our BN folding
// against PyTorch's.
TEST_CASE("opset 11 fixtures (unfolded by the exporter) import like the folded opset 13 ones") {
  const std::string model =
      GENERATE("small_cnn", "residual_block", "mobilenet_block", "mlp_concat", "pooling");
  const fs::path raw = kSource / "tests" / "data" / ("torch_" + model + "_op11");
  const fs::path folded = kSource / "tests" / "data" / ("torch_" + model + "_op13");
  if (!fs::is_directory(raw) || !fs::is_directory(folded)) return;
  INFO(model);
  const ir::Graph a = import_fixture(raw);
  const ir::Graph b = import_fixture(folded);
  REQUIRE(a.nodes.size() == b.nodes.size());
  for (std::size_t n = 0; n < a.nodes.size(); ++n) {
    const ir::Node &x = a.nodes[n], &y = b.nodes[n];
    INFO("layer " << n << ": " << x.name << " vs " << y.name);
    CHECK(x.op == y.op);
    CHECK(x.activation.kind == y.activation.kind);
    CHECK(x.activation.max == y.activation.max);
    CHECK(a.shape(x.output) == b.shape(y.output));
    REQUIRE(x.weight.shape == y.weight.shape);
    REQUIRE(x.bias.shape == y.bias.shape);
    double worst = 0;
    for (std::size_t i = 0; i < x.weight.data.size(); ++i)
      worst = std::max(worst, std::abs(double{x.weight.data[i]} - y.weight.data[i]));
    for (std::size_t i = 0; i < x.bias.data.size(); ++i)
      worst = std::max(worst, std::abs(double{x.bias.data[i]} - y.bias.data[i]));
    CHECK(worst < 1e-5);
  }
}

TEST_CASE("example networks: parameter counts of their definitions") {
  const fs::path vgg8 = kSource / "examples" / "vgg8.onnx";
  if (fs::exists(vgg8)) {
    // NeuroSim's VGG-8: conv 3-128, 128-128, 128-256, 256-256, 256-512, 512-512 (3x3, bias),
    // fc 8192-1024, 1024-10: 3,584 + 147,584 + 295,168 + 590,080 + 1,180,160 + 2,359,808
    // + 8,389,632 + 10,250 = 12,976,266.
    const ir::Graph graph = frontend::import_onnx(vgg8);
    CHECK(graph.weight_layers().size() == 8);
    CHECK(total_parameters(graph) == 12976266);
  }
  const fs::path resnet18 = kSource / "examples" / "resnet18.onnx";
  if (fs::exists(resnet18)) {
    // torchvision's 11,689,512 count BN scale and shift (2 x 4,800); folded into 20 convs they
    // become 4,800 biases: 11,684,712.
    const ir::Graph graph = frontend::import_onnx(resnet18);
    CHECK(graph.weight_layers().size() == 21);
    CHECK(total_parameters(graph) == 11684712);
  }
  const fs::path tiny = kSource / "examples" / "tiny_cnn.onnx";
  if (fs::exists(tiny)) CHECK_FALSE(frontend::import_onnx(tiny).weight_layers().empty());
}

// ONNX's node tests: the first input is the activation, later ones (weights, shapes, bounds)
// are bound as constants, except for operators that take several activations.
struct NodeTest {
  const char* name;
  std::size_t activations = 1;
};

TEST_CASE("ONNX node tests import with the expected output shape") {
  const NodeTest test = GENERATE(
      NodeTest{"test_add", 2}, NodeTest{"test_add_bcast", 2}, NodeTest{"test_averagepool_2d_ceil"},
      NodeTest{"test_averagepool_2d_pads"}, NodeTest{"test_averagepool_2d_precomputed_same_upper"},
      NodeTest{"test_averagepool_2d_same_lower"}, NodeTest{"test_averagepool_2d_strides"},
      NodeTest{"test_basic_conv_with_padding"}, NodeTest{"test_batchnorm_epsilon"},
      NodeTest{"test_batchnorm_example"}, NodeTest{"test_cast_DOUBLE_to_FLOAT"},
      NodeTest{"test_clip"}, NodeTest{"test_clip_default_max"}, NodeTest{"test_clip_default_min"},
      NodeTest{"test_concat_3d_axis_negative_2", 2}, NodeTest{"test_conv_with_autopad_same"},
      NodeTest{"test_conv_with_strides_and_asymmetric_padding"},
      NodeTest{"test_conv_with_strides_no_padding"}, NodeTest{"test_dropout_default"},
      NodeTest{"test_flatten_axis0"}, NodeTest{"test_flatten_negative_axis3"},
      NodeTest{"test_gemm_alpha"}, NodeTest{"test_gemm_beta"},
      NodeTest{"test_gemm_default_scalar_bias"},
      NodeTest{"test_gemm_default_single_elem_vector_bias"}, NodeTest{"test_gemm_transposeB"},
      NodeTest{"test_globalaveragepool"}, NodeTest{"test_identity"}, NodeTest{"test_matmul_2d"},
      NodeTest{"test_maxpool_2d_ceil"}, NodeTest{"test_maxpool_2d_dilations"},
      NodeTest{"test_maxpool_2d_precomputed_same_upper"}, NodeTest{"test_maxpool_2d_same_lower"},
      NodeTest{"test_relu"}, NodeTest{"test_reshape_negative_extended_dims"},
      NodeTest{"test_reshape_zero_and_negative_dim"}, NodeTest{"test_softmax_axis_0"},
      NodeTest{"test_softmax_negative_axis"}, NodeTest{"test_squeeze_negative_axes"},
      NodeTest{"test_unsqueeze_unsorted_axes"});
  const fs::path dir = kOnnxNodeTests / test.name;
  if (!fs::exists(dir / "model.onnx")) return;  // libonnx-testdata not installed
  INFO(test.name);
  onnx::ModelProto model;
  std::ifstream file(dir / "model.onnx", std::ios::binary);
  REQUIRE(model.ParseFromIstream(&file));
  frontend::ImportOptions options;
  for (int i = static_cast<int>(test.activations); i < model.graph().input_size(); ++i)
    options.constant_inputs[model.graph().input(i).name()] = frontend::read_tensor_file(
        dir / "test_data_set_0" / ("input_" + std::to_string(i) + ".pb"));
  const ir::Graph graph = frontend::import_onnx(dir / "model.onnx", options);
  REQUIRE(graph.outputs.size() == 1);
  CHECK(graph.inputs.size() == test.activations);
  const ir::Tensor expected = frontend::read_tensor_file(dir / "test_data_set_0" / "output_0.pb");
  CHECK(graph.shape(graph.outputs[0]) == expected.shape);
}

}  // namespace
}  // namespace pimhls::test
