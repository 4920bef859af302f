// The optimizer's view of real ONNX graphs: weight layers in topological order and the
// activations live across each cut (pooled tensors between VGG-8's layers, ResNet-18's residual
// branches), plus the shape-only networks used by the benchmark.
#include <catch2/catch.hpp>
#include <filesystem>

#include "frontend/onnx_import.h"
#include "opt/network.h"
#include "opt/network_shapes.h"

namespace pimhls::opt {
namespace {

const std::filesystem::path kExamples = std::filesystem::path(PIMHLS_SOURCE_DIR) / "examples";

TEST_CASE("VGG-8: a chain whose cuts carry the pooled feature maps") {
  REQUIRE(std::filesystem::exists(kExamples / "vgg8.onnx"));
  const Network network = network_from_graph(frontend::import_onnx(kExamples / "vgg8.onnx"), 8, 8);
  REQUIRE(network.size() == 8);
  CHECK(network.layers[1].name == "conv2");
  CHECK(network.layers[3].weight_bits == 256 * 256 * 9 * 8);  // the paper's 4.7 Mb layer
  // After conv1: 128x32x32; after conv2 (max-pooled): 128x16x16; ...; after conv6: 512x4x4
  // flattened; after fc1: 1024. 8-bit activations.
  CHECK(live_bits_between_layers(network) ==
        std::vector<std::int64_t>{128 * 32 * 32 * 8, 128 * 16 * 16 * 8, 256 * 16 * 16 * 8,
                                  256 * 8 * 8 * 8, 512 * 8 * 8 * 8, 512 * 4 * 4 * 8, 1024 * 8});
  // The same network built from shapes alone (the benchmark's) agrees.
  const Network shapes = vgg8_network();
  CHECK(live_bits_between_layers(shapes) == live_bits_between_layers(network));
  for (int l = 0; l < 8; ++l) {
    CHECK(shapes.layers[static_cast<std::size_t>(l)].weight_bits ==
          network.layers[static_cast<std::size_t>(l)].weight_bits);
    CHECK(shapes.layers[static_cast<std::size_t>(l)].shape.lead_vectors ==
          network.layers[static_cast<std::size_t>(l)].shape.lead_vectors);
  }
}

TEST_CASE("a map an InstanceNorm subtracts its mean from counts 16-bit codes") {
  // tests/data/torch_instance_norm_op13: Conv 3 -> 8 channels on 12x12, then InstanceNorm: the
  // Conv's output is read by the mean's GlobalAveragePool and the subtracting Add only.
  const std::filesystem::path model =
      std::filesystem::path(PIMHLS_SOURCE_DIR) / "tests/data/torch_instance_norm_op13/model.onnx";
  const Network network = network_from_graph(frontend::import_onnx(model), 8, 8);
  CHECK(network.layers[0].output_bits == 8 * 12 * 12 * 16);
}

TEST_CASE("ResNet-18: residual branches stay live across the layers they skip") {
  REQUIRE(std::filesystem::exists(kExamples / "resnet18.onnx"));
  const Network network =
      network_from_graph(frontend::import_onnx(kExamples / "resnet18.onnx"), 8, 8);
  REQUIRE(network.size() == 21);
  int residual = 0;
  for (const LiveTensor& tensor : network.tensors) {
    CHECK(tensor.producer_layer < tensor.last_reader_layer);
    if (tensor.last_reader_layer - tensor.producer_layer >= 2) ++residual;
  }
  // Every one of the 8 basic blocks keeps its input until its Add (or its downsample conv).
  CHECK(residual >= 8);
  // The first block: the max-pooled 64x56x56 stem output is read by layer1.0.conv1 (position 1)
  // and by the Add after layer1.0.conv2 (position 2): live across cuts 0 and 1; cut 1 also
  // carries layer1.0.conv1's 64x56x56 output. The second block repeats it (cuts 2 and 3).
  const std::vector<std::int64_t> live = live_bits_between_layers(network);
  const std::int64_t map = 64 * 56 * 56 * 8;
  CHECK(std::vector<std::int64_t>(live.begin(), live.begin() + 4) ==
        std::vector<std::int64_t>{map, 2 * map, map, 2 * map});
  CHECK(live_bits_between_layers(resnet_network(18)) == live);
  // The shape-only ResNet-18 of the benchmark has the same weights per layer.
  const Network shapes = resnet_network(18);
  REQUIRE(shapes.size() == 21);
  std::int64_t onnx_bits = 0, shape_bits = 0;
  for (int l = 0; l < 21; ++l) {
    onnx_bits += network.layers[static_cast<std::size_t>(l)].weight_bits;
    shape_bits += shapes.layers[static_cast<std::size_t>(l)].weight_bits;
  }
  CHECK(onnx_bits == shape_bits);
}

TEST_CASE("ResNet-50 by shapes: 54 weight layers, 25.5 M weights") {
  const Network network = resnet_network(50);
  CHECK(network.size() == 54);
  std::int64_t weights = 0;
  for (const Layer& layer : network.layers) weights += layer.shape.weights();
  CHECK(weights == 25502912);  // torchvision: 25,557,032 parameters minus BN and biases
}

}  // namespace
}  // namespace pimhls::opt
