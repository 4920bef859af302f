#include "frontend/onnx_attributes.h"

#include "util/error.h"

namespace pimhls::frontend {
namespace {

const onnx::AttributeProto* typed_attribute(const onnx::NodeProto& node, std::string_view name,
                                            onnx::AttributeProto_AttributeType type) {
  const onnx::AttributeProto* attribute = find_attribute(node, name);
  if (attribute && attribute->type() != type)
    fail("attribute '{}' has type {}, expected {}", name,
         onnx::AttributeProto_AttributeType_Name(attribute->type()),
         onnx::AttributeProto_AttributeType_Name(type));
  return attribute;
}

}  // namespace

const onnx::AttributeProto* find_attribute(const onnx::NodeProto& node, std::string_view name) {
  for (const onnx::AttributeProto& attribute : node.attribute())
    if (attribute.name() == name) return &attribute;
  return nullptr;
}

std::int64_t int_attribute(const onnx::NodeProto& node, std::string_view name,
                           std::int64_t fallback) {
  const auto* attribute = typed_attribute(node, name, onnx::AttributeProto_AttributeType_INT);
  return attribute ? attribute->i() : fallback;
}

float float_attribute(const onnx::NodeProto& node, std::string_view name, float fallback) {
  const auto* attribute = typed_attribute(node, name, onnx::AttributeProto_AttributeType_FLOAT);
  return attribute ? attribute->f() : fallback;
}

std::string string_attribute(const onnx::NodeProto& node, std::string_view name,
                             std::string_view fallback) {
  const auto* attribute = typed_attribute(node, name, onnx::AttributeProto_AttributeType_STRING);
  return attribute ? attribute->s() : std::string(fallback);
}

std::vector<std::int64_t> ints_attribute(const onnx::NodeProto& node, std::string_view name,
                                         std::vector<std::int64_t> fallback) {
  const auto* attribute = typed_attribute(node, name, onnx::AttributeProto_AttributeType_INTS);
  if (!attribute) return fallback;
  return {attribute->ints().begin(), attribute->ints().end()};
}

std::vector<float> floats_attribute(const onnx::NodeProto& node, std::string_view name) {
  const auto* attribute = typed_attribute(node, name, onnx::AttributeProto_AttributeType_FLOATS);
  if (!attribute) return {};
  return {attribute->floats().begin(), attribute->floats().end()};
}

namespace {

onnx::AttributeProto& attribute_to_set(onnx::NodeProto& node, std::string_view name,
                                       onnx::AttributeProto::AttributeType type) {
  for (onnx::AttributeProto& attribute : *node.mutable_attribute())
    if (attribute.name() == name) {
      attribute.Clear();
      attribute.set_name(std::string(name));
      attribute.set_type(type);
      return attribute;
    }
  onnx::AttributeProto& added = *node.add_attribute();
  added.set_name(std::string(name));
  added.set_type(type);
  return added;
}

}  // namespace

void set_int(onnx::NodeProto& node, std::string_view name, std::int64_t value) {
  attribute_to_set(node, name, onnx::AttributeProto::INT).set_i(value);
}

void set_ints(onnx::NodeProto& node, std::string_view name,
              const std::vector<std::int64_t>& values) {
  onnx::AttributeProto& attribute = attribute_to_set(node, name, onnx::AttributeProto::INTS);
  for (const std::int64_t v : values) attribute.add_ints(v);
}

}  // namespace pimhls::frontend
