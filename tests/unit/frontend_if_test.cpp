// If nodes decided at import time (frontend/if_branches.h): the branch taken is imported, the
// other is not (its operators need not be supported, its shapes need not infer), conditions on
// shapes fold, nested Ifs, constants through an If, branch outputs that are outer values; and
// the errors.
#include <catch2/catch.hpp>

#include "onnx_builder.h"

namespace pimhls::test {
namespace {

using Catch::Matchers::Contains;

// A branch graph: `nodes` of (op, inputs, output, name), then its outputs.
struct BranchNode {
  std::string op;
  std::vector<std::string> inputs;
  std::string output, name;
};
onnx::GraphProto branch(const std::string& name, const std::vector<BranchNode>& nodes,
                        const std::vector<std::string>& outputs) {
  OnnxBuilder b;
  for (const BranchNode& node : nodes) b.node(node.op, node.inputs, {node.output}, node.name);
  onnx::GraphProto graph = b.graph();
  graph.set_name(name);
  for (const std::string& output : outputs) graph.add_output()->set_name(output);
  return graph;
}

// x (1x4x3x3) -> Relu -> r; cond = (channels of r == `channels`); y = If(cond): then Sigmoid(r),
// else Squeeze(r, axis 1): a Squeeze that fails on 4 channels.
OnnxBuilder shape_if(std::int64_t channels) {
  OnnxBuilder b;
  b.input("x", {1, 4, 3, 3}).output("y", 4);
  b.int_initializer("one", {}, {1}).int_initializer("channels", {}, {channels});
  b.int_initializer("axis1", {1}, {1});
  b.node("Relu", {"x"}, {"r"}, "relu");
  b.node("Shape", {"r"}, {"shape"}, "shape");
  b.node("Gather", {"shape", "one"}, {"c"}, "gather");
  b.node("Equal", {"c", "channels"}, {"cond"}, "equal");
  b.node("If", {"cond"}, {"y"}, "if")
      .attr("then_branch", branch("then", {{"Sigmoid", {"r"}, "t", "then_sigmoid"}}, {"t"}))
      .attr("else_branch",
            branch("else", {{"Squeeze", {"r", "axis1"}, "e", "else_squeeze"}}, {"e"}));
  return b;
}

frontend::ImportOptions unfused() {
  frontend::ImportOptions options;
  options.fuse = false;
  return options;
}

TEST_CASE("an If on a shape imports the branch taken only") {
  const ir::Graph graph = shape_if(4).import(unfused());
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].op == ir::Op::Relu);
  CHECK(graph.nodes[1].op == ir::Op::Unary);
  CHECK(graph.nodes[1].name == "then_sigmoid");
  CHECK(graph.outputs == std::vector<ir::ValueId>{graph.nodes[1].output});
  CHECK(graph.shape(graph.outputs[0]) == ir::Dims{1, 4, 3, 3});
  // The else branch, taken, squeezes an axis of 4: its own error, naming its node.
  CHECK_THAT(import_error(shape_if(5)), Contains("node 'else_squeeze' (Squeeze)"));
}

TEST_CASE("an operator pimhls does not import is an error only in the branch taken") {
  const auto non_zero_if = [](std::int64_t channels) {
    OnnxBuilder b = shape_if(channels);
    onnx::NodeProto& node = *b.graph().mutable_node(b.graph().node_size() - 1);
    for (onnx::AttributeProto& attribute : *node.mutable_attribute())
      if (attribute.name() == "else_branch") {
        onnx::NodeProto& squeeze = *attribute.mutable_g()->mutable_node(0);
        squeeze.set_op_type("NonZero");
        squeeze.mutable_input()->RemoveLast();  // (the axes)
      }
    return b;
  };
  CHECK(non_zero_if(4).import().nodes.size() == 2);
  CHECK_THAT(import_error(non_zero_if(5)),
             Contains("node 'else_squeeze' (NonZero): unsupported operator"));
}

TEST_CASE("nested Ifs, branch outputs that are outer values, constants through an If") {
  OnnxBuilder b;
  b.input("x", {1, 4, 3, 3}).output("y", 2);
  b.int_initializer("one", {}, {1}).int_initializer("two", {}, {2});
  b.int_initializer("flat", {2}, {1, 36}).int_initializer("tall", {2}, {36, 1});
  b.node("Relu", {"x"}, {"r"}, "relu");
  b.node("Equal", {"one", "one"}, {"yes"}, "same");
  b.node("Equal", {"one", "two"}, {"no"}, "differ");
  // Outer If (yes): then an inner If (no) whose else is r itself; else Sigmoid(r).
  onnx::GraphProto inner_then = branch("inner_then", {{"Neg", {"r"}, "n", "neg"}}, {"n"});
  onnx::GraphProto inner_else = branch("inner_else", {}, {"r"});
  OnnxBuilder outer_then;
  outer_then.node("If", {"no"}, {"picked"}, "inner")
      .attr("then_branch", inner_then)
      .attr("else_branch", inner_else);
  onnx::GraphProto then_graph = outer_then.graph();
  then_graph.set_name("outer_then");
  then_graph.add_output()->set_name("picked");
  b.node("If", {"yes"}, {"value"}, "outer")
      .attr("then_branch", then_graph)
      .attr("else_branch", branch("outer_else", {{"Sigmoid", {"r"}, "s", "sigmoid"}}, {"s"}));
  // A shape through an If: the then branch's constant [1, 36].
  b.node("If", {"yes"}, {"shape"}, "pick_shape")
      .attr("then_branch", branch("flat", {}, {"flat"}))
      .attr("else_branch", branch("tall", {}, {"tall"}));
  b.node("Reshape", {"value", "shape"}, {"y"}, "reshape");
  const ir::Graph graph = b.import(unfused());
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].op == ir::Op::Relu);
  CHECK(graph.nodes[1].op == ir::Op::Reshape);
  CHECK(graph.nodes[1].inputs == std::vector<ir::ValueId>{graph.nodes[0].output});
  CHECK(graph.shape(graph.outputs[0]) == ir::Dims{1, 36});
}

TEST_CASE("branches that write the same names, an If before its condition's producer") {
  // then: Sigmoid(r) -> t; else: Neg(r) -> t, then an inner If (always then) reading that t.
  const auto sibling_if = [](std::int64_t taken, bool condition_last) {
    OnnxBuilder b;
    b.input("x", {1, 4, 3, 3}).output("y", 4);
    b.int_initializer("one", {}, {1}).int_initializer("taken", {}, {taken});
    b.node("Relu", {"x"}, {"r"}, "relu");
    const auto condition = [&] {
      b.node("Equal", {"one", "taken"}, {"cond"}, "equal");
      b.node("Equal", {"one", "one"}, {"yes"}, "same");
    };
    if (!condition_last) condition();
    OnnxBuilder else_b;
    else_b.node("Neg", {"r"}, {"t"}, "else_neg");
    else_b.node("If", {"yes"}, {"u"}, "inner")
        .attr("then_branch",
              branch("inner_then", {{"Sigmoid", {"t"}, "s", "inner_sigmoid"}}, {"s"}))
        .attr("else_branch", branch("inner_else", {}, {"t"}));
    // A node that writes nothing does nothing (NonZero: not imported even in the branch taken).
    else_b.node("NonZero", {"t"}, {}, "else_nothing");
    onnx::GraphProto else_graph = else_b.graph();
    else_graph.add_output()->set_name("u");
    b.node("If", {"cond"}, {"y"}, "if")
        .attr("then_branch", branch("then", {{"Sigmoid", {"r"}, "t", "then_sigmoid"}}, {"t"}))
        .attr("else_branch", else_graph);
    if (condition_last) condition();
    return b;
  };
  for (const bool condition_last : {false, true}) {
    const ir::Graph then_graph = sibling_if(1, condition_last).import(unfused());
    REQUIRE(then_graph.nodes.size() == 2);
    CHECK(then_graph.nodes[1].name == "then_sigmoid");
  }
  // Taken, the else branch's t is renamed apart from the then branch's, and so is its read in
  // the inner If (which would otherwise read the t of the branch not taken).
  const ir::Graph else_graph = sibling_if(2, false).import(unfused());
  REQUIRE(else_graph.nodes.size() == 3);
  CHECK(else_graph.nodes[1].name == "else_neg");
  CHECK(else_graph.nodes[2].name == "inner_sigmoid");
  CHECK(else_graph.nodes[2].inputs == std::vector<ir::ValueId>{else_graph.nodes[1].output});
  CHECK(else_graph.outputs == std::vector<ir::ValueId>{else_graph.nodes[2].output});
}

TEST_CASE("a norm reduction in a branch runs under its conditions once expanded") {
  // ReduceL2 (Pow, ReduceSum, Sqrt before import) over the batch axis, which no import supports,
  // in the branch not taken; over the channels in the branch taken.
  const auto reduce_if = [](bool channels_taken) {
    OnnxBuilder b;
    b.input("x", {1, 4, 3, 3}).output("y", 4);
    b.int_initializer("one", {}, {1}).int_initializer("taken", {}, {channels_taken ? 1 : 2});
    b.node("Equal", {"one", "taken"}, {"cond"}, "equal");
    OnnxBuilder then_b, else_b;
    then_b.node("ReduceL2", {"x"}, {"over_c"}, "l2_channels")
        .attr("axes", std::vector<std::int64_t>{1});
    else_b.node("ReduceL2", {"x"}, {"over_n"}, "l2_batch")
        .attr("axes", std::vector<std::int64_t>{0});
    onnx::GraphProto then_graph = then_b.graph(), else_graph = else_b.graph();
    then_graph.add_output()->set_name("over_c");
    else_graph.add_output()->set_name("over_n");
    b.node("If", {"cond"}, {"y"}, "if")
        .attr("then_branch", then_graph)
        .attr("else_branch", else_graph);
    return b;
  };
  const ir::Graph graph = reduce_if(true).import();
  CHECK(graph.shape(graph.outputs[0]) == ir::Dims{1, 1, 3, 3});
  CHECK_THAT(import_error(reduce_if(false)), Contains("l2_batch"));
}

TEST_CASE("norm reductions of the same name in both branches expand apart") {
  // Both branches hold a ReduceL2 named "l2", whose rewrites name their values "l2/...".
  for (const std::int64_t taken : {1, 2}) {
    OnnxBuilder b;
    b.input("x", {1, 4, 3, 3}).output("y", 4);
    b.int_initializer("one", {}, {1}).int_initializer("taken", {}, {taken});
    b.node("Equal", {"one", "taken"}, {"cond"}, "equal");
    OnnxBuilder then_b, else_b;
    then_b.node("ReduceL2", {"x"}, {"t"}, "l2").attr("axes", std::vector<std::int64_t>{1});
    else_b.node("ReduceL2", {"x"}, {"e"}, "l2").attr("axes", std::vector<std::int64_t>{2, 3});
    onnx::GraphProto then_graph = then_b.graph(), else_graph = else_b.graph();
    then_graph.add_output()->set_name("t");
    else_graph.add_output()->set_name("e");
    b.node("If", {"cond"}, {"y"}, "if")
        .attr("then_branch", then_graph)
        .attr("else_branch", else_graph);
    const ir::Graph graph = b.import();
    CHECK(graph.shape(graph.outputs[0]) ==
          (taken == 1 ? ir::Dims{1, 1, 3, 3} : ir::Dims{1, 4, 1, 1}));
  }
}

TEST_CASE("an If that cannot import names the node and the reason") {
  const auto activation_if = [](bool with_node) {
    OnnxBuilder b;
    b.input("x", {1, 4, 3, 3}).input("c", {1}).output("y", 4);
    auto node = b.node("If", {"c"}, {"y"}, "if");
    if (with_node)
      node.attr("then_branch", branch("then", {{"Sigmoid", {"x"}, "t", "then_sigmoid"}}, {"t"}));
    else
      node.attr("then_branch", branch("then", {}, {"x"}));
    node.attr("else_branch", branch("else", {}, {"x"}));
    return b;
  };
  CHECK_THAT(import_error(activation_if(true)),
             Contains("node 'then_sigmoid' (Sigmoid): it is in a branch of an If whose condition "
                      "'c' is computed from activations; only Ifs decided at import time"));
  CHECK_THAT(import_error(activation_if(false)),
             Contains("node 'if' (If): its condition 'c' is computed from activations"));

  OnnxBuilder missing;
  missing.input("x", {1, 4}).output("y", 2);
  missing.int_initializer("one", {}, {1});
  missing.node("Equal", {"one", "one"}, {"yes"}, "same");
  missing.node("If", {"yes"}, {"y"}, "if").attr("then_branch", branch("then", {}, {"x"}));
  CHECK_THAT(import_error(missing),
             Contains("test.onnx: node 'if' (If): attribute 'else_branch' (a graph) is missing"));

  OnnxBuilder counts;
  counts.input("x", {1, 4}).output("y", 2);
  counts.int_initializer("one", {}, {1});
  counts.node("Equal", {"one", "one"}, {"yes"}, "same");
  counts.node("If", {"yes"}, {"y"}, "if")
      .attr("then_branch", branch("then", {}, {"x", "x"}))
      .attr("else_branch", branch("else", {}, {"x"}));
  CHECK_THAT(import_error(counts),
             Contains("node 'if' (If): attribute 'then_branch' has 0 inputs and 2 outputs; it "
                      "needs none and 1"));
}

}  // namespace
}  // namespace pimhls::test
