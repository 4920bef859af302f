#pragma once
// Builders for the quant tests: small layer graphs with seeded random weights, and the example
// networks (scripts/make_examples.py writes them; scripts/setup.sh runs it).
#include <fmt/format.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "frontend/onnx_import.h"
#include "ir/graph.h"
#include "util/error.h"

namespace pimhls::test {

// Appends nodes to a graph one at a time, computing output shapes (NCHW) like ONNX.
class GraphBuilder {
 public:
  explicit GraphBuilder(unsigned seed) : random_(seed) { graph_.name = "test"; }

  ir::ValueId input(const ir::Dims& shape) {
    const ir::ValueId id = value(shape, -1);
    graph_.inputs.push_back(id);
    return id;
  }

  // Conv with weights ~ N(0, 1/fan_in) and a small bias; `relu` fuses a ReLU.
  ir::ValueId conv(ir::ValueId x, std::int64_t out_channels, std::int64_t kernel,
                   std::int64_t stride = 1, std::int64_t pad = 0, std::int64_t group = 1,
                   bool relu = true, std::int64_t dilation = 1) {
    const ir::Dims& in = graph_.shape(x);
    ir::Node node = make(ir::Op::Conv, x);
    node.window.kernel_h = node.window.kernel_w = kernel;
    node.window.stride_h = node.window.stride_w = stride;
    node.window.pad_top = node.window.pad_left = node.window.pad_bottom = node.window.pad_right =
        pad;
    node.window.dilation_h = node.window.dilation_w = dilation;
    node.window.group = group;
    const std::int64_t fan_in = in[1] / group * kernel * kernel;
    node.weight =
        random_tensor({out_channels, in[1] / group, kernel, kernel}, 1.0 / std::sqrt(fan_in));
    node.bias = random_tensor({out_channels}, 0.1);
    if (relu) node.activation.kind = ir::Activation::Kind::Relu, node.activation.min = 0.0f;
    const std::int64_t span = dilation * (kernel - 1) + 1;
    const std::int64_t out_h = (in[2] + 2 * pad - span) / stride + 1;
    const std::int64_t out_w = (in[3] + 2 * pad - span) / stride + 1;
    return add_node(std::move(node), {in[0], out_channels, out_h, out_w});
  }

  ir::ValueId gemm(ir::ValueId x, std::int64_t outputs, bool relu = false) {
    const ir::Dims& in = graph_.shape(x);
    ir::Node node = make(ir::Op::Gemm, x);
    node.weight = random_tensor({outputs, in.back()}, 1.0 / std::sqrt(in.back()));
    node.bias = random_tensor({outputs}, 0.1);
    if (relu) node.activation.kind = ir::Activation::Kind::Relu, node.activation.min = 0.0f;
    ir::Dims out = in;
    out.back() = outputs;
    return add_node(std::move(node), out);
  }

  ir::ValueId add(ir::ValueId a, ir::ValueId b) {
    ir::Node node = make(ir::Op::Add, a);
    node.inputs.push_back(b);
    return add_node(std::move(node), graph_.shape(a));
  }

  ir::ValueId relu(ir::ValueId x) {
    ir::Node node = make(ir::Op::Relu, x);
    node.activation.kind = ir::Activation::Kind::Relu;
    node.activation.min = 0.0f;
    return add_node(std::move(node), graph_.shape(x));
  }

  ir::ValueId unary(ir::ValueId x, ir::Unary function) {
    ir::Node node = make(ir::Op::Unary, x);
    node.unary = std::move(function);
    return add_node(std::move(node), graph_.shape(x));
  }

  ir::ValueId pool(ir::Op op, ir::ValueId x, std::int64_t kernel, std::int64_t stride,
                   std::int64_t pad = 0) {
    const ir::Dims& in = graph_.shape(x);
    ir::Node node = make(op, x);
    node.window.kernel_h = node.window.kernel_w = kernel;
    node.window.stride_h = node.window.stride_w = stride;
    node.window.pad_top = node.window.pad_left = node.window.pad_bottom = node.window.pad_right =
        pad;
    return add_node(std::move(node), {in[0], in[1], (in[2] + 2 * pad - kernel) / stride + 1,
                                      (in[3] + 2 * pad - kernel) / stride + 1});
  }

  ir::ValueId global_average_pool(ir::ValueId x) {
    const ir::Dims& in = graph_.shape(x);
    return add_node(make(ir::Op::GlobalAveragePool, x), {in[0], in[1], 1, 1});
  }

  ir::ValueId flatten(ir::ValueId x) {
    const ir::Dims& in = graph_.shape(x);
    return add_node(make(ir::Op::Flatten, x), {in[0], ir::element_count(in) / in[0]});
  }

  ir::ValueId concat(ir::ValueId a, ir::ValueId b) {
    ir::Node node = make(ir::Op::Concat, a);
    node.inputs.push_back(b);
    node.axis = 1;
    ir::Dims out = graph_.shape(a);
    out[1] += graph_.shape(b)[1];
    return add_node(std::move(node), out);
  }

  // A node built by hand (its output gets a new value of `shape`).
  ir::ValueId add_node(ir::Node node, const ir::Dims& shape) {
    node.output = value(shape, static_cast<int>(graph_.nodes.size()));
    graph_.nodes.push_back(std::move(node));
    return graph_.nodes.back().output;
  }

  ir::Graph finish(ir::ValueId output) {
    graph_.outputs = {output};
    return graph_;
  }

 private:
  ir::ValueId value(const ir::Dims& shape, int producer) {
    graph_.values.push_back(ir::Value{fmt::format("v{}", graph_.values.size()), shape, producer});
    return static_cast<ir::ValueId>(graph_.values.size() - 1);
  }

  ir::Node make(ir::Op op, ir::ValueId x) {
    ir::Node node;
    node.name = fmt::format("{}_{}", ir::op_name(op), graph_.nodes.size());
    node.op = op;
    node.inputs = {x};
    return node;
  }

  ir::Tensor random_tensor(const ir::Dims& shape, double sigma) {
    std::normal_distribution<float> normal(0.0f, static_cast<float>(sigma));
    ir::Tensor tensor{shape,
                      std::vector<float>(static_cast<std::size_t>(ir::element_count(shape)))};
    for (float& element : tensor.data) element = normal(random_);
    return tensor;
  }

  ir::Graph graph_;
  std::mt19937 random_;
};

// An example network of examples/; fails with how to make it when it is missing.
inline ir::Graph example(const std::string& name) {
  const std::filesystem::path path =
      std::filesystem::path(PIMHLS_SOURCE_DIR) / "examples" / (name + ".onnx");
  if (!std::filesystem::exists(path))
    fail("{} is missing: run /usr/bin/python3 scripts/make_examples.py examples", path.string());
  return frontend::import_onnx(path);
}

// A MobileNet-style block: a depthwise conv (one input channel per group), a pointwise conv and
// a grouped conv with 4 channels per group.
inline ir::Graph grouped_net(unsigned seed) {
  GraphBuilder b(seed);
  const ir::ValueId x = b.input({1, 3, 10, 10});
  ir::ValueId y = b.conv(x, 16, 3, 1, 1);
  y = b.conv(y, 16, 3, 1, 1, 16);
  y = b.conv(y, 32, 1);
  y = b.conv(y, 32, 3, 2, 1, 8);
  return b.finish(b.gemm(b.flatten(b.global_average_pool(y)), 10));
}

}  // namespace pimhls::test
