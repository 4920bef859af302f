#pragma once
// A tiny builder of ONNX models for tests: graph inputs, initializers, nodes with attributes,
// serialized to bytes and imported with import_onnx_bytes (source "test.onnx").
#include <onnx/onnx_pb.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "frontend/graph_builder.h"
#include "frontend/onnx_import.h"
#include "util/error.h"

namespace pimhls::test {

// A node under construction; attribute setters chain.
class NodeBuilder {
 public:
  explicit NodeBuilder(onnx::NodeProto* node) : node_(node) {}

  NodeBuilder& attr(const std::string& name, std::int64_t value) {
    auto* a = add(name, onnx::AttributeProto_AttributeType_INT);
    a->set_i(value);
    return *this;
  }
  NodeBuilder& attr(const std::string& name, int value) {
    return attr(name, static_cast<std::int64_t>(value));
  }
  NodeBuilder& attr(const std::string& name, float value) {
    add(name, onnx::AttributeProto_AttributeType_FLOAT)->set_f(value);
    return *this;
  }
  NodeBuilder& attr(const std::string& name, const char* value) {
    add(name, onnx::AttributeProto_AttributeType_STRING)->set_s(value);
    return *this;
  }
  NodeBuilder& attr(const std::string& name, std::vector<std::int64_t> values) {
    auto* a = add(name, onnx::AttributeProto_AttributeType_INTS);
    for (std::int64_t v : values) a->add_ints(v);
    return *this;
  }
  NodeBuilder& attr(const std::string& name, const std::vector<float>& values) {
    auto* a = add(name, onnx::AttributeProto_AttributeType_FLOATS);
    for (float v : values) a->add_floats(v);
    return *this;
  }
  NodeBuilder& attr(const std::string& name, const onnx::TensorProto& tensor) {
    *add(name, onnx::AttributeProto_AttributeType_TENSOR)->mutable_t() = tensor;
    return *this;
  }
  NodeBuilder& attr(const std::string& name, const onnx::GraphProto& graph) {
    *add(name, onnx::AttributeProto_AttributeType_GRAPH)->mutable_g() = graph;
    return *this;
  }
  onnx::NodeProto& proto() { return *node_; }

 private:
  onnx::AttributeProto* add(const std::string& name, onnx::AttributeProto_AttributeType type) {
    auto* a = node_->add_attribute();
    a->set_name(name);
    a->set_type(type);
    return a;
  }
  onnx::NodeProto* node_;
};

inline onnx::TensorProto float_tensor(const std::string& name, std::vector<std::int64_t> dims,
                                      const std::vector<float>& values) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(onnx::TensorProto_DataType_FLOAT);
  for (std::int64_t d : dims) t.add_dims(d);
  for (float v : values) t.add_float_data(v);
  return t;
}

inline onnx::TensorProto int_tensor(const std::string& name, std::vector<std::int64_t> dims,
                                    const std::vector<std::int64_t>& values) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(onnx::TensorProto_DataType_INT64);
  for (std::int64_t d : dims) t.add_dims(d);
  for (std::int64_t v : values) t.add_int64_data(v);
  return t;
}

// Values 1, 2, 3, ... scaled by `scale`: easy to follow by hand.
inline std::vector<float> ramp(std::int64_t count, float scale = 1.0f) {
  std::vector<float> values;
  for (std::int64_t i = 0; i < count; ++i) values.push_back(static_cast<float>(i + 1) * scale);
  return values;
}

class OnnxBuilder {
 public:
  explicit OnnxBuilder(int opset = 13) {
    model.set_ir_version(opset >= 15 ? 8 : 7);
    model.set_producer_name("pimhls-test");
    auto* import = model.add_opset_import();
    import->set_domain("");
    import->set_version(opset);
    model.mutable_graph()->set_name("test_graph");
  }

  onnx::GraphProto& graph() { return *model.mutable_graph(); }

  // A float graph input with a static shape.
  OnnxBuilder& input(const std::string& name, std::vector<std::int64_t> dims) {
    auto* shape = add_value_info(graph().add_input(), name);
    for (std::int64_t d : dims) shape->add_dim()->set_dim_value(d);
    return *this;
  }
  // A float graph input whose dimension `dynamic_axis` is the symbol `param`.
  OnnxBuilder& dynamic_input(const std::string& name, std::vector<std::int64_t> dims,
                             std::size_t dynamic_axis, const std::string& param) {
    auto* shape = add_value_info(graph().add_input(), name);
    for (std::size_t i = 0; i < dims.size(); ++i) {
      if (i == dynamic_axis)
        shape->add_dim()->set_dim_param(param);
      else
        shape->add_dim()->set_dim_value(dims[i]);
    }
    return *this;
  }
  // A graph output of known rank whose dimensions are left to shape inference (ONNX's checker
  // requires a shape on graph outputs).
  OnnxBuilder& output(const std::string& name, std::size_t rank) {
    auto* shape = add_value_info(graph().add_output(), name);
    for (std::size_t i = 0; i < rank; ++i) shape->add_dim();
    return *this;
  }
  OnnxBuilder& initializer(const std::string& name, std::vector<std::int64_t> dims,
                           const std::vector<float>& values) {
    *graph().add_initializer() = float_tensor(name, std::move(dims), values);
    return *this;
  }
  OnnxBuilder& int_initializer(const std::string& name, std::vector<std::int64_t> dims,
                               const std::vector<std::int64_t>& values) {
    *graph().add_initializer() = int_tensor(name, std::move(dims), values);
    return *this;
  }
  NodeBuilder node(const std::string& op_type, const std::vector<std::string>& inputs,
                   const std::vector<std::string>& outputs, const std::string& name = "") {
    onnx::NodeProto* node = graph().add_node();
    node->set_op_type(op_type);
    node->set_name(name);
    for (const std::string& input : inputs) node->add_input(input);
    for (const std::string& output : outputs) node->add_output(output);
    return NodeBuilder(node);
  }

  std::string bytes() const { return model.SerializeAsString(); }
  ir::Graph import(const frontend::ImportOptions& options = {}) const {
    return frontend::import_onnx_bytes(bytes(), "test.onnx", options);
  }

  onnx::ModelProto model;

 private:
  static onnx::TensorShapeProto* add_value_info(onnx::ValueInfoProto* info,
                                                const std::string& name) {
    info->set_name(name);
    auto* tensor = info->mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(onnx::TensorProto_DataType_FLOAT);
    return tensor->mutable_shape();
  }
};

// Imports without ONNX's checker (for opsets newer than the ONNX library knows: Mish 18,
// Gelu 20, Pad's axes 18) and without fusion: the graph builder alone.
inline ir::Graph build_unchecked(const OnnxBuilder& b, int opset) {
  onnx::GraphProto graph = b.model.graph();
  const frontend::ImportOptions options;
  return frontend::GraphBuilder(graph, opset, "test.onnx", options).build();
}

// The one-line message importing `b` fails with ("no error" when it imports).
// The error importing a model gives, checked to be what the CLI promises: one line that starts
// with the file name (a crash or another exception type fails the test, as does acceptance).
inline std::string import_error(const std::string& bytes,
                                const frontend::ImportOptions& options = {}) {
  try {
    frontend::import_onnx_bytes(bytes, "test.onnx", options);
  } catch (const Error& e) {
    const std::string message = e.what();
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.rfind("test.onnx: ", 0) == 0);
    return message;
  }
  FAIL("the model was accepted");
  return {};
}

inline std::string import_error(const OnnxBuilder& builder,
                                const frontend::ImportOptions& options = {}) {
  return import_error(builder.bytes(), options);
}

// The first IR node with operator `op`, or nullptr.
inline const ir::Node* find_node(const ir::Graph& graph, ir::Op op) {
  for (const ir::Node& node : graph.nodes)
    if (node.op == op) return &node;
  return nullptr;
}

}  // namespace pimhls::test
