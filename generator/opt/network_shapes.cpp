#include "opt/network_shapes.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "util/error.h"

namespace pimhls::opt {
namespace {

class NetworkBuilder {
 public:
  NetworkBuilder(std::string name, int weight_bits, int activation_bits)
      : weight_bits_(weight_bits), activation_bits_(activation_bits) {
    network_.name = std::move(name);
  }

  // A k x k convolution (padding (k-1)/2) producing out_channels x size x size.
  int conv(std::string name, std::int64_t in_channels, std::int64_t kernel,
           std::int64_t out_channels, std::int64_t size) {
    cost::LayerShape shape;
    shape.in_channels = in_channels;
    shape.kernel_area = kernel * kernel;
    shape.out_channels = out_channels;
    shape.vectors = size * size;
    kernels_.push_back(kernel);
    return add(std::move(name), shape);
  }

  int gemm(std::string name, std::int64_t inputs, std::int64_t outputs) {
    cost::LayerShape shape;
    shape.in_channels = inputs;
    shape.out_channels = outputs;
    shape.vectors = 1;
    kernels_.push_back(0);  // needs all of its input before its first output
    return add(std::move(name), shape);
  }

  // A tensor of `elements` activations written at `producer` and last read at `reader`.
  void tensor(int producer, int reader, std::int64_t elements) {
    if (reader <= producer) return;
    network_.tensors.push_back(
        {fmt::format("t{}_{}", producer, reader), producer, reader, elements * activation_bits_});
  }

  // `input_size`: the side of the next layer's input (after pooling).
  Network finish(const std::vector<std::int64_t>& input_size) {
    for (std::size_t i = 0; i + 1 < network_.layers.size(); ++i) {
      cost::LayerShape& shape = network_.layers[i].shape;
      const std::int64_t kernel = kernels_[i + 1], side = input_size[i + 1];
      if (kernel == 0 || side <= 0) continue;  // a Gemm reads everything first
      const std::int64_t reach = std::min(kernel - (kernel - 1) / 2, side);
      const std::int64_t lead = ((reach - 1) * side + reach) * shape.vectors;
      shape.lead_vectors =
          std::clamp<std::int64_t>((lead + side * side - 1) / (side * side), 1, shape.vectors);
    }
    return std::move(network_);
  }

 private:
  int add(std::string name, cost::LayerShape shape) {
    shape.lead_vectors = shape.vectors;
    Layer layer;
    layer.name = std::move(name);
    layer.shape = shape;
    layer.weight_bits = shape.weights() * weight_bits_;
    layer.macs = shape.macs();
    layer.output_bits = shape.vectors * shape.out_channels * activation_bits_;
    network_.layers.push_back(layer);
    return static_cast<int>(network_.layers.size()) - 1;
  }

  Network network_;
  std::vector<std::int64_t> kernels_;
  int weight_bits_, activation_bits_;
};

}  // namespace

Network resnet_network(int depth, int weight_bits, int activation_bits) {
  std::vector<int> blocks;
  bool bottleneck = false;
  switch (depth) {
    case 18: blocks = {2, 2, 2, 2}; break;
    case 34: blocks = {3, 4, 6, 3}; break;
    case 50: blocks = {3, 4, 6, 3}, bottleneck = true; break;
    default: fail("resnet_network: depth {} is not 18, 34 or 50", depth);
  }
  NetworkBuilder net(fmt::format("resnet{}", depth), weight_bits, activation_bits);
  std::vector<std::int64_t> input_side;  // per layer: the side of its input
  input_side.push_back(224);
  int previous = net.conv("conv1", 3, 7, 64, 112);
  std::int64_t channels = 64, side = 56;  // after the max pool
  std::int64_t block_input_elements = channels * side * side;
  for (int stage = 0; stage < 4; ++stage) {
    const std::int64_t width = 64 << stage;
    const std::int64_t out_channels = bottleneck ? width * 4 : width;
    for (int b = 0; b < blocks[static_cast<std::size_t>(stage)]; ++b) {
      const bool downsample = b == 0 && (stage > 0 || channels != out_channels);
      const std::int64_t in_side = side;
      if (b == 0 && stage > 0) side /= 2;
      const std::string prefix = fmt::format("layer{}.{}", stage + 1, b);
      const int block_input = previous;
      int main;
      if (bottleneck) {
        const int a = net.conv(prefix + ".conv1", channels, 1, width, in_side);
        input_side.push_back(in_side);
        const int m = net.conv(prefix + ".conv2", width, 3, width, side);
        input_side.push_back(in_side);
        const int c = net.conv(prefix + ".conv3", width, 1, out_channels, side);
        input_side.push_back(side);
        net.tensor(a, m, width * in_side * in_side);
        net.tensor(m, c, width * side * side);
        main = c;
      } else {
        const int a = net.conv(prefix + ".conv1", channels, 3, width, side);
        input_side.push_back(in_side);
        const int c = net.conv(prefix + ".conv2", width, 3, width, side);
        input_side.push_back(side);
        net.tensor(a, c, width * side * side);
        main = c;
      }
      int last = main;
      if (downsample) {
        last = net.conv(prefix + ".downsample", channels, 1, out_channels, side);
        input_side.push_back(in_side);
        net.tensor(main, last, out_channels * side * side);  // waits for the Add
      }
      // The block input: read by the first convolution and, through the residual branch, by the
      // Add (or the downsample convolution) at the block's last layer.
      net.tensor(block_input, last, block_input_elements);
      previous = last;
      channels = out_channels;
      block_input_elements = channels * side * side;
    }
  }
  const int fc = net.gemm("fc", channels, 1000);
  input_side.push_back(0);
  net.tensor(previous, fc, channels);  // after global average pooling
  return net.finish(input_side);
}

Network vgg8_network(int weight_bits, int activation_bits) {
  NetworkBuilder net("vgg8", weight_bits, activation_bits);
  const int c1 = net.conv("conv1", 3, 3, 128, 32);
  const int c2 = net.conv("conv2", 128, 3, 128, 32);
  const int c3 = net.conv("conv3", 128, 3, 256, 16);
  const int c4 = net.conv("conv4", 256, 3, 256, 16);
  const int c5 = net.conv("conv5", 256, 3, 512, 8);
  const int c6 = net.conv("conv6", 512, 3, 512, 8);
  const int f1 = net.gemm("fc1", 8192, 1024);
  const int f2 = net.gemm("fc2", 1024, 10);
  net.tensor(c1, c2, 128 * 32 * 32);
  net.tensor(c2, c3, 128 * 16 * 16);
  net.tensor(c3, c4, 256 * 16 * 16);
  net.tensor(c4, c5, 256 * 8 * 8);
  net.tensor(c5, c6, 512 * 8 * 8);
  net.tensor(c6, f1, 8192);
  net.tensor(f1, f2, 1024);
  return net.finish({32, 32, 16, 16, 8, 8, 0, 0});
}

Network chain_network(int layers, std::uint32_t seed, int weight_bits, int activation_bits) {
  NetworkBuilder net(fmt::format("chain{}", layers), weight_bits, activation_bits);
  std::mt19937 random(seed);
  const auto pick = [&](std::initializer_list<std::int64_t> values) {
    return *(values.begin() +
             std::uniform_int_distribution<std::size_t>(0, values.size() - 1)(random));
  };
  std::vector<std::int64_t> input_side;
  std::int64_t channels = 3, side = 32;
  for (int i = 0; i < layers; ++i) {
    const std::int64_t out = pick({32, 64, 128, 256});
    input_side.push_back(side);
    side = pick({8, 16, 32});
    net.conv(fmt::format("conv{}", i), channels, 3, out, side);
    if (i > 0) net.tensor(i - 1, i, channels * side * side);
    if (i >= 2 && i % 4 == 0) net.tensor(i - 2, i, channels * side * side);  // a skip branch
    channels = out;
  }
  input_side.push_back(0);
  net.gemm("fc", channels, 10);
  net.tensor(layers - 1, layers, channels);
  return net.finish(input_side);
}

}  // namespace pimhls::opt
