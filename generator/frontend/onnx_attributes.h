#pragma once
// Typed access to the attributes of an ONNX node. Errors are short messages naming the
// attribute; the importer prefixes file and node.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pimhls::frontend {

const onnx::AttributeProto* find_attribute(const onnx::NodeProto& node, std::string_view name);

std::int64_t int_attribute(const onnx::NodeProto& node, std::string_view name,
                           std::int64_t fallback);
float float_attribute(const onnx::NodeProto& node, std::string_view name, float fallback);
std::string string_attribute(const onnx::NodeProto& node, std::string_view name,
                             std::string_view fallback);
std::vector<std::int64_t> ints_attribute(const onnx::NodeProto& node, std::string_view name,
                                         std::vector<std::int64_t> fallback = {});
std::vector<float> floats_attribute(const onnx::NodeProto& node, std::string_view name);
// Sets (or adds) an int or ints attribute (nodes rewritten for the IR's layout).
void set_int(onnx::NodeProto& node, std::string_view name, std::int64_t value);
void set_ints(onnx::NodeProto& node, std::string_view name,
              const std::vector<std::int64_t>& values);

}  // namespace pimhls::frontend
