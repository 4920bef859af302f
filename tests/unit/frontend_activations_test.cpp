// Element-wise activations -> Unary nodes: ONNX's attribute defaults, PRelu with one slope,
// Mul(x, f(x)) (SiLU, HardSwish, Mish written out) as one Unary with times_input, and chains of
// Unary nodes composed into one.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <optional>

#include "frontend/graph_builder.h"
#include "onnx_builder.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

using Kind = ir::UnaryStep::Kind;
using Floats = std::vector<float>;

constexpr int kOpset = 14;  // HardSwish is opset 14

const ir::Node& only_node(const ir::Graph& graph) {
  REQUIRE(graph.nodes.size() == 1);
  return graph.nodes[0];
}
const ir::Node& only_node(const ir::Graph&& graph) = delete;  // would dangle

std::vector<Kind> kinds(const ir::Unary& unary) {
  std::vector<Kind> result;
  for (const ir::UnaryStep& step : unary.steps) result.push_back(step.kind);
  return result;
}

int count_nodes(const ir::Graph& graph, ir::Op op) {
  int count = 0;
  for (const ir::Node& node : graph.nodes) count += node.op == op;
  return count;
}

// Value::producer agrees with the node list, every input is written before it is read, and
// no value is left that nothing reads or writes.
void check_consistent(const ir::Graph& graph) {
  std::vector<bool> written(graph.values.size(), false), used(graph.values.size(), false);
  for (ir::ValueId id : graph.inputs) written[id] = used[id] = true;
  for (ir::ValueId id : graph.outputs) used[id] = true;
  for (std::size_t n = 0; n < graph.nodes.size(); ++n) {
    const ir::Node& node = graph.nodes[n];
    for (ir::ValueId id : node.inputs) {
      CHECK(written[id]);
      used[id] = true;
    }
    CHECK(graph.value(node.output).producer == static_cast<int>(n));
    written[node.output] = used[node.output] = true;
  }
  for (std::size_t id = 0; id < graph.values.size(); ++id) {
    INFO("value " << graph.values[id].name);
    CHECK(used[id]);
  }
}

// x (1x4) -> <op_type>(x) -> y.
OnnxBuilder one_activation(const std::string& op_type, int opset = kOpset) {
  OnnxBuilder b(opset);
  b.input("x", {1, 4}).output("y", 2);
  b.node(op_type, {"x"}, {"y"}, "act");
  return b;
}

void check_step(const ir::Graph& graph, Kind kind, float alpha, float gamma) {
  const ir::Node& node = only_node(graph);
  CHECK(node.op == ir::Op::Unary);
  CHECK(node.name == "act");
  CHECK_FALSE(node.unary.times_input);
  REQUIRE(node.unary.steps.size() == 1);
  CHECK(node.unary.steps[0].kind == kind);
  CHECK(node.unary.steps[0].alpha == alpha);
  CHECK(node.unary.steps[0].gamma == gamma);
  REQUIRE(node.inputs.size() == 1);
  CHECK(graph.value(node.inputs[0]).name == "x");
  CHECK(graph.value(node.output).name == "y");
  CHECK(graph.shape(node.output) == graph.shape(node.inputs[0]));
}

TEST_CASE("activations without attributes are one Unary step each") {
  const std::pair<const char*, Kind> cases[] = {
      {"Sigmoid", Kind::Sigmoid},   {"Tanh", Kind::Tanh},         {"HardSwish", Kind::HardSwish},
      {"Softplus", Kind::Softplus}, {"Softsign", Kind::Softsign},
  };
  for (const auto& [op_type, kind] : cases) {
    INFO(op_type);
    check_step(one_activation(op_type).import(), kind, 0.0f, 0.0f);
  }
}

TEST_CASE("Abs, Exp, Log, and Neg, Sqrt, Reciprocal as Affine and Power steps") {
  check_step(one_activation("Abs").import(), Kind::Abs, 0.0f, 0.0f);
  check_step(one_activation("Exp").import(), Kind::Exp, 0.0f, 0.0f);
  check_step(one_activation("Log").import(), Kind::Log, 0.0f, 0.0f);
  check_step(one_activation("Neg").import(), Kind::Affine, -1.0f, 0.0f);
  check_step(one_activation("Sqrt").import(), Kind::Power, 0.5f, 0.0f);
  check_step(one_activation("Reciprocal").import(), Kind::Power, -1.0f, 0.0f);
}

TEST_CASE("Pow by one constant exponent is a Power step; a Pow of constants folds") {
  OnnxBuilder b(kOpset);
  b.input("x", {1, 4}).initializer("e", {1}, {3}).output("y", 2);
  b.node("Pow", {"x", "e"}, {"y"}, "act");
  const ir::Graph graph = b.import();
  check_step(graph, Kind::Power, 3.0f, 0.0f);
  CHECK(ir::apply(only_node(graph).unary, -2.0f) == -8.0f);

  OnnxBuilder folded(kOpset);  // y = x + [2, 3]^2
  folded.input("x", {1, 2}).initializer("k", {2}, {2, 3}).initializer("two", {}, {2});
  folded.output("y", 2);
  folded.node("Pow", {"k", "two"}, {"s"});
  folded.node("Add", {"x", "s"}, {"y"}, "add");
  const ir::Graph add = folded.import();
  CHECK(only_node(add).weight.data == Floats{4.0f, 9.0f});
}

TEST_CASE("activation attributes: ONNX's defaults") {
  SECTION("LeakyRelu") {
    check_step(one_activation("LeakyRelu").import(), Kind::LeakyRelu, 0.01f, 0.0f);
  }
  SECTION("HardSigmoid: alpha, and beta in gamma") {
    check_step(one_activation("HardSigmoid").import(), Kind::HardSigmoid, 0.2f, 0.5f);
  }
  SECTION("Elu") { check_step(one_activation("Elu").import(), Kind::Elu, 1.0f, 0.0f); }
  SECTION("Selu") {
    check_step(one_activation("Selu").import(), Kind::Selu, 1.67326319217681884765625f,
               1.05070102214813232421875f);
  }
  SECTION("Celu") { check_step(one_activation("Celu").import(), Kind::Celu, 1.0f, 0.0f); }
  SECTION("ThresholdedRelu") {
    check_step(one_activation("ThresholdedRelu").import(), Kind::ThresholdedRelu, 1.0f, 0.0f);
  }
}

TEST_CASE("activation attributes: values from the model") {
  SECTION("LeakyRelu") {
    OnnxBuilder b(kOpset);
    b.input("x", {1, 4}).output("y", 2);
    b.node("LeakyRelu", {"x"}, {"y"}, "act").attr("alpha", 0.25f);
    check_step(b.import(), Kind::LeakyRelu, 0.25f, 0.0f);
  }
  SECTION("HardSigmoid") {
    OnnxBuilder b(kOpset);
    b.input("x", {1, 4}).output("y", 2);
    b.node("HardSigmoid", {"x"}, {"y"}, "act").attr("alpha", 0.5f).attr("beta", 0.25f);
    check_step(b.import(), Kind::HardSigmoid, 0.5f, 0.25f);
  }
  SECTION("Elu, Celu, ThresholdedRelu") {
    const std::pair<const char*, Kind> cases[] = {
        {"Elu", Kind::Elu}, {"Celu", Kind::Celu}, {"ThresholdedRelu", Kind::ThresholdedRelu}};
    for (const auto& [op_type, kind] : cases) {
      INFO(op_type);
      OnnxBuilder b(kOpset);
      b.input("x", {1, 4}).output("y", 2);
      b.node(op_type, {"x"}, {"y"}, "act").attr("alpha", 2.5f);
      check_step(b.import(), kind, 2.5f, 0.0f);
    }
  }
  SECTION("Selu") {
    OnnxBuilder b(kOpset);
    b.input("x", {1, 4}).output("y", 2);
    b.node("Selu", {"x"}, {"y"}, "act").attr("alpha", 2.0f).attr("gamma", 3.0f);
    check_step(b.import(), Kind::Selu, 2.0f, 3.0f);
  }
}

// ONNX 1.12 knows opsets up to 17: Mish (18) and Gelu (20) go straight to the graph builder.
TEST_CASE("Gelu (opset 20): approximate 'none' is alpha 0, 'tanh' alpha 1") {
  SECTION("default") {
    check_step(build_unchecked(one_activation("Gelu", 20), 20), Kind::Gelu, 0, 0);
  }
  for (const char* approximate : {"none", "tanh"}) {
    SECTION(approximate) {
      OnnxBuilder b(20);
      b.input("x", {1, 4}).output("y", 2);
      b.node("Gelu", {"x"}, {"y"}, "act").attr("approximate", approximate);
      check_step(build_unchecked(b, 20), Kind::Gelu, std::string(approximate) == "tanh" ? 1 : 0, 0);
    }
  }
  SECTION("another value") {
    OnnxBuilder b(20);
    b.input("x", {1, 4}).output("y", 2);
    b.node("Gelu", {"x"}, {"y"}, "act").attr("approximate", "fast");
    REQUIRE_THROWS_WITH(build_unchecked(b, 20), Catch::Contains("test.onnx: node 'act' (Gelu)") &&
                                                    Catch::Contains("'approximate' = 'fast'"));
  }
}

TEST_CASE("Mish (opset 18) is one step") {
  check_step(build_unchecked(one_activation("Mish", 18), 18), Kind::Mish, 0, 0);
}

TEST_CASE("PRelu with one slope is LeakyRelu with that alpha") {
  for (const ir::Dims& slope_shape : {ir::Dims{}, ir::Dims{1}, ir::Dims{1, 1}}) {
    INFO(ir::format_dims(slope_shape));
    OnnxBuilder b(kOpset);
    b.input("x", {1, 4}).initializer("slope", slope_shape, {0.3f}).output("y", 2);
    b.node("PRelu", {"x", "slope"}, {"y"}, "act");
    check_step(b.import(), Kind::LeakyRelu, 0.3f, 0.0f);
  }
}

TEST_CASE("PRelu with a slope per channel is max(x, 0) + slope[c] * min(x, 0)") {
  OnnxBuilder b(kOpset);
  b.input("x", {1, 3, 2, 2}).initializer("slope", {3, 1, 1}, {0.1f, 0.2f, 0.3f}).output("y", 4);
  b.node("PRelu", {"x", "slope"}, {"y"}, "act");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 4);
  const ir::Node &positive = graph.nodes[0], &negative = graph.nodes[1];
  const ir::Node &scaled = graph.nodes[2], &sum = graph.nodes[3];
  CHECK(positive.op == ir::Op::Relu);
  CHECK(negative.op == ir::Op::Clip);
  CHECK(negative.activation.min == -std::numeric_limits<float>::infinity());
  CHECK(negative.activation.max == 0.0f);
  CHECK(positive.inputs == negative.inputs);
  CHECK(scaled.op == ir::Op::ChannelAffine);
  CHECK(scaled.inputs == std::vector<ir::ValueId>{negative.output});
  CHECK(scaled.weight.data == Floats{0.1f, 0.2f, 0.3f});
  CHECK(scaled.bias.data == Floats{0, 0, 0});
  CHECK(sum.op == ir::Op::Add);
  CHECK(sum.inputs == std::vector<ir::ValueId>{positive.output, scaled.output});
  CHECK(graph.is_output(sum.output));
}

TEST_CASE("PRelu with one slope repeated per channel is one LeakyRelu table") {
  OnnxBuilder b(kOpset);
  b.input("x", {1, 3, 2, 2}).initializer("slope", {1, 3, 1, 1}, {0.2f, 0.2f, 0.2f});
  b.output("y", 4).node("PRelu", {"x", "slope"}, {"y"}, "act");
  check_step(b.import(), Kind::LeakyRelu, 0.2f, 0.0f);
}

TEST_CASE("an activation of a constant folds") {
  // y = x + Sigmoid(0) = x + 0.5
  OnnxBuilder b(kOpset);
  b.input("x", {1, 2}).initializer("k", {2}, {0, 0}).output("y", 2);
  b.node("Sigmoid", {"k"}, {"s"});
  b.node("Add", {"x", "s"}, {"y"}, "add");
  const ir::Graph graph = b.import();
  const ir::Node& add = only_node(graph);
  CHECK(add.op == ir::Op::Add);
  CHECK(add.weight.data == Floats{0.5f, 0.5f});
}

// x (1x2x3x3) -> Conv 1x1 -> c; y = Mul(c, f(c)) in the given operand order.
OnnxBuilder conv_times_activation(const char* op_type, bool activation_first) {
  OnnxBuilder b(kOpset);
  b.input("x", {1, 2, 3, 3}).initializer("W", {2, 2, 1, 1}, {1, 0, 0, 1}).output("y", 4);
  b.node("Conv", {"x", "W"}, {"c"}, "conv");
  if (std::string(op_type) == "HardSigmoid")
    b.node("HardSigmoid", {"c"}, {"f"}, "gate").attr("alpha", 1.0f / 6).attr("beta", 0.5f);
  else
    b.node(op_type, {"c"}, {"f"}, "gate");
  if (activation_first)
    b.node("Mul", {"f", "c"}, {"y"}, "mul");
  else
    b.node("Mul", {"c", "f"}, {"y"}, "mul");
  return b;
}

TEST_CASE("SiLU: Mul(x, Sigmoid(x)) in either operand order is one Unary with times_input") {
  for (const bool activation_first : {false, true}) {
    INFO("Sigmoid operand first: " << activation_first);
    const ir::Graph graph = conv_times_activation("Sigmoid", activation_first).import();
    REQUIRE(graph.nodes.size() == 2);
    const ir::Node& conv = graph.nodes[0];
    const ir::Node& silu = graph.nodes[1];
    CHECK(conv.op == ir::Op::Conv);
    CHECK(conv.activation.kind == ir::Activation::Kind::None);
    CHECK(silu.op == ir::Op::Unary);
    CHECK(silu.name == "mul");
    CHECK(silu.unary.times_input);
    CHECK(kinds(silu.unary) == std::vector<Kind>{Kind::Sigmoid});
    CHECK(silu.inputs == std::vector<ir::ValueId>{conv.output});
    CHECK(graph.value(silu.output).name == "y");
    CHECK(graph.outputs == std::vector<ir::ValueId>{silu.output});
    CHECK(graph.values.size() == 3);  // x, c, y: the Sigmoid's output is gone
    check_consistent(graph);
    // x * sigmoid(x) at x = 2
    CHECK(ir::apply(silu.unary, 2.0f) == Approx(2.0 / (1.0 + std::exp(-2.0))));
  }
}

TEST_CASE("HardSwish written as Mul(x, HardSigmoid(x)) is one Unary") {
  for (const bool activation_first : {false, true}) {
    INFO("HardSigmoid operand first: " << activation_first);
    const ir::Graph graph = conv_times_activation("HardSigmoid", activation_first).import();
    REQUIRE(graph.nodes.size() == 2);
    const ir::Node& hard_swish = graph.nodes[1];
    CHECK(hard_swish.op == ir::Op::Unary);
    CHECK(hard_swish.unary.times_input);
    REQUIRE(hard_swish.unary.steps.size() == 1);
    CHECK(hard_swish.unary.steps[0].kind == Kind::HardSigmoid);
    CHECK(hard_swish.unary.steps[0].alpha == 1.0f / 6);
    CHECK(hard_swish.unary.steps[0].gamma == 0.5f);
    CHECK(count_nodes(graph, ir::Op::Unary) == 1);
    check_consistent(graph);
    // 1 * clamp(1/6 + 1/2) = 2/3
    CHECK(ir::apply(hard_swish.unary, 1.0f) == Approx(2.0 / 3));
  }
}

TEST_CASE("Mish written as Mul(x, Tanh(Softplus(x))) is one Unary, with fuse on or off") {
  for (const bool fuse : {true, false}) {
    INFO("fuse " << fuse);
    OnnxBuilder b(kOpset);
    b.input("x", {1, 4}).output("y", 2);
    b.node("Softplus", {"x"}, {"sp"});
    b.node("Tanh", {"sp"}, {"t"});
    b.node("Mul", {"t", "x"}, {"y"}, "mish");
    frontend::ImportOptions options;
    options.fuse = fuse;
    const ir::Graph graph = b.import(options);
    const ir::Node& mish = only_node(graph);
    CHECK(mish.name == "mish");
    CHECK(mish.unary.times_input);
    CHECK(kinds(mish.unary) == std::vector<Kind>{Kind::Softplus, Kind::Tanh});
    CHECK(graph.values.size() == 2);
    check_consistent(graph);
  }
}

TEST_CASE("a Sigmoid that is also read elsewhere stays next to the SiLU") {
  OnnxBuilder b(kOpset);
  b.input("x", {1, 4}).output("y", 2).output("s", 2);
  b.node("Sigmoid", {"x"}, {"s"}, "sigmoid");
  b.node("Mul", {"x", "s"}, {"y"}, "silu");
  const ir::Graph graph = b.import();
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].name == "sigmoid");
  CHECK_FALSE(graph.nodes[0].unary.times_input);
  CHECK(graph.nodes[1].name == "silu");
  CHECK(graph.nodes[1].unary.times_input);
  CHECK(graph.nodes[1].inputs == graph.inputs);
  check_consistent(graph);
}

TEST_CASE("a chain of Unary nodes composes into one; fuse off keeps them") {
  OnnxBuilder b(kOpset);
  b.input("x", {1, 4}).output("y", 2);
  b.node("Tanh", {"x"}, {"t"}, "tanh");
  b.node("LeakyRelu", {"t"}, {"l"}, "leaky").attr("alpha", 0.5f);
  b.node("Sigmoid", {"l"}, {"y"}, "sigmoid");
  SECTION("fused") {
    const ir::Graph graph = b.import();
    const ir::Node& node = only_node(graph);
    CHECK(node.name == "tanh");  // the first node's name, the last one's output
    CHECK(graph.value(node.output).name == "y");
    CHECK_FALSE(node.unary.times_input);
    CHECK(kinds(node.unary) == std::vector<Kind>{Kind::Tanh, Kind::LeakyRelu, Kind::Sigmoid});
    CHECK(node.unary.steps[1].alpha == 0.5f);
    CHECK(graph.values.size() == 2);
    check_consistent(graph);
    // sigmoid(leaky(tanh(-1))) = sigmoid(0.5 * tanh(-1))
    CHECK(ir::apply(node.unary, -1.0f) == Approx(1.0 / (1.0 + std::exp(0.5 * std::tanh(1.0)))));
  }
  SECTION("fuse off") {
    frontend::ImportOptions options;
    options.fuse = false;
    const ir::Graph graph = b.import(options);
    CHECK(count_nodes(graph, ir::Op::Unary) == 3);
    check_consistent(graph);
  }
}

TEST_CASE("Unary chains that must not compose") {
  SECTION("the first output is also a graph output") {
    OnnxBuilder b(kOpset);
    b.input("x", {1, 4}).output("t", 2).output("y", 2);
    b.node("Tanh", {"x"}, {"t"});
    b.node("Sigmoid", {"t"}, {"y"});
    CHECK(b.import().nodes.size() == 2);
  }
  SECTION("the first output has another reader") {
    OnnxBuilder b(kOpset);
    b.input("x", {1, 4}).output("y", 2);
    b.node("Tanh", {"x"}, {"t"});
    b.node("Sigmoid", {"t"}, {"s"});
    b.node("Add", {"s", "t"}, {"y"});
    CHECK(count_nodes(b.import(), ir::Op::Unary) == 2);
  }
  SECTION("the first has times_input (SiLU -> Tanh)") {
    OnnxBuilder b(kOpset);
    b.input("x", {1, 4}).output("y", 2);
    b.node("Sigmoid", {"x"}, {"s"});
    b.node("Mul", {"x", "s"}, {"m"}, "silu");
    b.node("Tanh", {"m"}, {"y"}, "tanh");
    const ir::Graph graph = b.import();
    REQUIRE(graph.nodes.size() == 2);
    CHECK(graph.nodes[0].unary.times_input);
    CHECK(kinds(graph.nodes[1].unary) == std::vector<Kind>{Kind::Tanh});
    check_consistent(graph);
  }
  SECTION("the second has times_input (t * Sigmoid(t) with t = Tanh(x))") {
    OnnxBuilder b(kOpset);
    b.input("x", {1, 4}).output("y", 2);
    b.node("Tanh", {"x"}, {"t"}, "tanh");
    b.node("Sigmoid", {"t"}, {"s"});
    b.node("Mul", {"t", "s"}, {"y"}, "silu");
    const ir::Graph graph = b.import();
    REQUIRE(graph.nodes.size() == 2);
    CHECK(kinds(graph.nodes[0].unary) == std::vector<Kind>{Kind::Tanh});
    CHECK(graph.nodes[1].unary.times_input);
    CHECK(kinds(graph.nodes[1].unary) == std::vector<Kind>{Kind::Sigmoid});
    CHECK(graph.nodes[1].inputs == std::vector<ir::ValueId>{graph.nodes[0].output});
    check_consistent(graph);
  }
}

}  // namespace
}  // namespace pimhls::test
