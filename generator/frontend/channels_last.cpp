// Maps transposed to NHWC in mid-network (ConvNeXt's blocks: Transpose, LayerNorm over the
// channels, Linear layers on every pixel, GELU, Transpose back): the IR keeps the NCHW map and
// the ONNX value becomes a channels-last view of it, no data moved. The nodes up to the
// Transpose back are imported as their NCHW twins: element-wise operators with their constants
// transposed, reductions over the last axis over the channels, MatMul by a constant [C, K] as a
// 1x1 Conv, LayerNormalization and Softmax over the last axis over the channels (a Softmax over
// the channels as exporters before opset 13 write it). When anything else would
// read the view, it is not made: the Transpose moves the data (a gather of the elements).
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string_view>

#include "frontend/graph_builder.h"
#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

enum class ViewForm { Elementwise, Reduce, MatMul, LayerNorm, Softmax, Back };

std::optional<ViewForm> view_form(const onnx::NodeProto& node) {
  static const std::set<std::string_view> kElementwise = {"Abs",       "Add",
                                                          "Cast",      "Celu",
                                                          "Clip",      "Div",
                                                          "Dropout",   "Elu",
                                                          "Erf",       "Exp",
                                                          "Gelu",      "HardSigmoid",
                                                          "HardSwish", "Identity",
                                                          "LeakyRelu", "Log",
                                                          "Max",       "Mean",
                                                          "Min",       "Mish",
                                                          "Mul",       "Neg",
                                                          "Pow",       "Reciprocal",
                                                          "Relu",      "Selu",
                                                          "Sigmoid",   "Softplus",
                                                          "Softsign",  "Sqrt",
                                                          "Sub",       "Sum",
                                                          "Tanh",      "ThresholdedRelu"};
  const std::string& op = node.op_type();
  if (!node.domain().empty() && node.domain() != "ai.onnx") return std::nullopt;
  if (kElementwise.count(op)) return ViewForm::Elementwise;
  if (op == "ReduceMean" || op == "ReduceSum" || op == "ReduceMax") return ViewForm::Reduce;
  if (op == "MatMul") return ViewForm::MatMul;
  if (op == "LayerNormalization") return ViewForm::LayerNorm;
  if (op == "Softmax" || op == "LogSoftmax") return ViewForm::Softmax;
  if (op == "Transpose") return ViewForm::Back;
  return std::nullopt;
}

const std::vector<std::int64_t> kToNchw = {0, 3, 1, 2};

ir::Dims nhwc(const ir::Dims& nchw) { return {nchw[0], nchw[2], nchw[3], nchw[1]}; }

// A constant broadcast against an NHWC map, for the NCHW map: right-aligned to rank 4, its
// axes permuted (a scalar stays as it is).
Constant channels_first(Constant value) {
  if (value.count() <= 1 || value.shape.size() > 4) return value;
  while (value.shape.size() < 4) value.shape.insert(value.shape.begin(), 1);
  return fold_transpose(value, kToNchw);
}

// MatMul's constant [C, K] as the weight [K, C, 1, 1] of a 1x1 Conv.
Constant conv_weight(const Constant& matrix) {
  Constant weight = fold_transpose(matrix, {1, 0});
  weight.shape = {matrix.shape[1], matrix.shape[0], 1, 1};
  return weight;
}

bool is_last_axis_only(const std::vector<std::int64_t>& axes) {
  return axes.size() == 1 && (axes[0] == -1 || axes[0] == 3);
}

// Softmax's axis (before opset 13 the axes from it on, which for the last axis is the same).
std::int64_t softmax_axis(const onnx::NodeProto& node, int opset) {
  return int_attribute(node, "axis", opset < 13 ? 1 : -1);
}

}  // namespace

bool NodeContext::define_channels_last(std::size_t output, ir::ValueId x) {
  const ir::Dims& shape = builder_.graph_.shape(x);
  if (output >= output_count() || node_.output(output).empty() || shape.size() != 4 ||
      !builder_.stays_channels_last(node_.output(output)))
    return false;
  const std::string& name = node_.output(output);
  builder_.check_declared_shape(name, nhwc(shape));
  GraphBuilder::Entry& entry = builder_.entries_[name];
  entry.activation = x;
  entry.channels_last = nhwc(shape);
  return true;
}

bool GraphBuilder::stays_channels_last(const std::string& name) {
  std::set<std::string> seen;
  std::vector<std::string> pending = {name};
  const auto is_output = [&](const std::string& value) {
    return std::any_of(onnx_graph_.output().begin(), onnx_graph_.output().end(),
                       [&](const onnx::ValueInfoProto& output) { return output.name() == value; });
  };
  // A constant now, or a value computed later (a view on this chain, else the twin fails).
  const auto not_yet_activation = [&](const std::string& value) {
    const auto found = entries_.find(value);
    return value.empty() || seen.count(value) || found == entries_.end() ||
           (found->second.activation < 0 && !found->second.padding);
  };
  const auto constant_now = [&](const onnx::NodeProto& node, int i) -> const Constant* {
    if (node.input_size() <= i || node.input(i).empty()) return nullptr;
    const auto found = entries_.find(node.input(i));
    if (found == entries_.end() || found->second.activation >= 0 || found->second.padding ||
        (!found->second.constant && !found->second.initializer))
      return nullptr;
    return &materialize(node.input(i));
  };
  while (!pending.empty()) {
    const std::string value = pending.back();
    pending.pop_back();
    if (!seen.insert(value).second) continue;
    if (is_output(value)) return false;
    const auto readers = readers_.find(value);
    if (readers == readers_.end()) continue;
    for (const onnx::NodeProto* node : readers->second) {
      const std::optional<ViewForm> form = view_form(*node);
      if (!form) return false;
      switch (*form) {
        case ViewForm::Back:
          if (ints_attribute(*node, "perm") != kToNchw) return false;
          continue;
        case ViewForm::Elementwise:
          for (const std::string& input : node->input())
            if (input != value && !not_yet_activation(input)) return false;
          break;
        case ViewForm::Reduce: {  // (axes computed later are checked by the twin)
          const bool axes_input = node->input_size() > 1 && !node->input(1).empty();
          if (node->input(0) != value || int_attribute(*node, "keepdims", 1) != 1 ||
              (!axes_input && !find_attribute(*node, "axes")))
            return false;  // (no axes: over every axis)
          if (const Constant* axes = constant_now(*node, 1))
            if (!is_last_axis_only(axes->to_ints())) return false;
          if (find_attribute(*node, "axes") && !is_last_axis_only(ints_attribute(*node, "axes")))
            return false;
          break;
        }
        case ViewForm::MatMul: {  // (a weight computed later, a Transpose of it, too)
          const Constant* weight = constant_now(*node, 1);
          if (node->input(0) != value || !not_yet_activation(node->input(1)) ||
              (weight && weight->shape.size() != 2))
            return false;
          break;
        }
        case ViewForm::Softmax:
          if (!is_last_axis_only({softmax_axis(*node, opset_)})) return false;
          break;
        case ViewForm::LayerNorm:
          if (node->input(0) != value || !is_last_axis_only({int_attribute(*node, "axis", -1)}))
            return false;
          for (int o = 1; o < node->output_size(); ++o)
            if (!node->output(o).empty() &&
                (readers_.count(node->output(o)) || is_output(node->output(o))))
              return false;
          break;
      }
      if (node->output_size() > 0 && !node->output(0).empty()) pending.push_back(node->output(0));
    }
  }
  return true;
}

bool GraphBuilder::import_channels_last(const onnx::NodeProto& node, const OperatorImport& op) {
  const bool reads_view = std::any_of(node.input().begin(), node.input().end(), [&](auto& name) {
    const auto found = entries_.find(name);
    return found != entries_.end() && !found->second.channels_last.empty();
  });
  const std::optional<ViewForm> form = view_form(node);
  if (!reads_view || form == ViewForm::Back) return false;  // Transpose back: lower_transpose
  if (!form)
    fail(
        "reads a map transposed to NHWC; only element-wise operators, reductions, MatMul, "
        "LayerNormalization and Softmax over its last axis and a Transpose back can");
  NodeContext ctx(*this, node, opset_);
  if (*form == ViewForm::Reduce) {
    const std::vector<std::int64_t> axes =
        ctx.has_input(1) ? ctx.constant(1).to_ints() : ints_attribute(node, "axes");
    if (!is_last_axis_only(axes) || int_attribute(node, "keepdims", 1) != 1)
      fail(
          "reduces axes {} of a map transposed to NHWC; only the last axis (keepdims 1) is "
          "supported",
          fmt::join(axes, ","));
  }
  if (*form == ViewForm::Softmax && !is_last_axis_only({softmax_axis(node, opset_)}))
    fail("{} over axis {} of a map transposed to NHWC; only the last axis is supported",
         node.op_type(), softmax_axis(node, opset_));
  if (*form == ViewForm::MatMul && ctx.constant(1).shape.size() != 2)
    fail(
        "multiplies a map transposed to NHWC by '{}' of shape {}; only a matrix [C, K] is "
        "supported",
        ctx.input_name(1), ir::format_dims(ctx.constant(1).shape));
  onnx::NodeProto twin = node;
  TwinEntries temporaries(*this, "nchw");
  for (int i = 0; i < node.input_size(); ++i) {
    const std::string& name = node.input(i);
    if (name.empty()) continue;
    const Entry& found = entry(name);
    Entry nchw;
    nchw.uses_left = 1;
    if (!found.channels_last.empty()) {
      nchw.activation = found.activation;
    } else if (found.activation >= 0 || found.padding) {
      fail("input '{}' is an NCHW map next to a map transposed to NHWC", name);
    } else if (*form == ViewForm::Reduce && i == 1) {
      nchw.constant = std::make_shared<Constant>(Constant::from_ints({1}, {1}));
    } else if (*form == ViewForm::MatMul && i == 1) {
      nchw.constant = std::make_shared<Constant>(conv_weight(ctx.constant(1)));
    } else {
      nchw.constant = std::make_shared<Constant>(
          channels_first(ctx.take_constant(static_cast<std::size_t>(i))));
    }
    twin.set_input(i, temporaries.add(name, std::move(nchw)));
  }
  if (*form == ViewForm::Reduce && find_attribute(node, "axes")) set_ints(twin, "axes", {1});
  if (*form == ViewForm::MatMul) twin.set_op_type("Conv");
  temporaries.add_outputs(node, twin);
  NodeContext twin_ctx(*this, twin, opset_);
  if (*form == ViewForm::LayerNorm)
    lower_channel_layer_normalization(twin_ctx);
  else if (*form == ViewForm::Softmax)
    lower_channel_softmax(twin_ctx);
  else if (*form == ViewForm::MatMul)
    find_operator(twin)->lower(twin_ctx);
  else
    op.lower(twin_ctx);
  for (int o = 0; o < node.output_size(); ++o) {
    if (node.output(o).empty()) continue;
    const Entry result = entries_.at(twin.output(o));
    if (result.activation < 0) continue;
    const ir::Dims shape = nhwc(graph_.shape(result.activation));
    check_declared_shape(node.output(o), shape);
    Entry& view = entries_[node.output(o)];
    view.activation = result.activation;
    view.channels_last = shape;
  }
  return true;
}

}  // namespace pimhls::frontend
