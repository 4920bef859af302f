// 1-D networks (Conv1d, pooling 1-D: keyword spotting, ECG, audio): a node that reads an
// [N, C, L] map is imported as its 2-D form on [N, C, 1, L], a map one row high, so that the
// layers, the cost model and the hardware see the Conv2d they already map. The 3-D ONNX values
// stay views of the 2-D ones (find_view collapses view -> view back, so fusion and the rest of
// the flow see no Reshape between two promoted nodes).
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "frontend/graph_builder.h"
#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"

namespace pimhls::frontend {
namespace {

// How a node's attributes and constant inputs change when its maps gain the row axis.
enum class Form {
  Window,  // Conv, ConvTranspose, pools: kernel_shape [k] -> [1, k], pads [b, e] -> [0, b, 0, e]
  Axis,    // attribute 'axis': the length axis 2 becomes 3
  Reduce,  // 'axes' (attribute, or input 1 since opset 18): the length axis becomes H and W
  Pad,     // pads gain zeros for H (or, with 'axes', the length axis becomes 3)
  Slice,   // 'axes' (attribute before opset 10, then input 3), made explicit: 2 -> 3
  Global,  // a pool over the whole length (GlobalAveragePool): no attributes to extend
  Plain,   // element-wise and per channel: constants of rank >= 2 gain the row axis
};

const Form* form_of(std::string_view op_type) {
  static const std::pair<std::string_view, Form> kForms[] = {
      {"Abs", Form::Plain},
      {"Add", Form::Plain},
      {"AveragePool", Form::Window},
      {"BatchNormalization", Form::Plain},
      {"Celu", Form::Plain},
      {"Clip", Form::Plain},
      {"Concat", Form::Axis},
      {"Conv", Form::Window},
      {"ConvTranspose", Form::Window},
      {"Div", Form::Plain},
      {"Elu", Form::Plain},
      {"Erf", Form::Plain},
      {"Exp", Form::Plain},
      {"Gelu", Form::Plain},
      {"GlobalAveragePool", Form::Global},
      {"GlobalMaxPool", Form::Global},
      {"HardSigmoid", Form::Plain},
      {"HardSwish", Form::Plain},
      {"InstanceNormalization", Form::Plain},
      {"LRN", Form::Plain},
      {"LeakyRelu", Form::Plain},
      {"Log", Form::Plain},
      {"LogSoftmax", Form::Axis},
      {"Max", Form::Plain},
      {"MaxPool", Form::Window},
      {"Mean", Form::Plain},
      {"Min", Form::Plain},
      {"Mish", Form::Plain},
      {"Mul", Form::Plain},
      {"Neg", Form::Plain},
      {"PRelu", Form::Plain},
      {"Pad", Form::Pad},
      {"Pow", Form::Plain},
      {"Reciprocal", Form::Plain},
      {"ReduceMax", Form::Reduce},
      {"ReduceMean", Form::Reduce},
      {"ReduceSum", Form::Reduce},
      {"Relu", Form::Plain},
      {"Selu", Form::Plain},
      {"Sigmoid", Form::Plain},
      {"Slice", Form::Slice},
      {"Softmax", Form::Axis},
      {"Softplus", Form::Plain},
      {"Softsign", Form::Plain},
      {"Split", Form::Axis},
      {"Sqrt", Form::Plain},
      {"Sub", Form::Plain},
      {"Sum", Form::Plain},
      {"Tanh", Form::Plain},
      {"ThresholdedRelu", Form::Plain},
  };
  for (const auto& [name, form] : kForms)
    if (name == op_type) return &form;
  return nullptr;
}

// [.., L] -> [.., 1, L] (rank >= 2: an [N, C, L] map, or a constant broadcast against one).
ir::Dims with_row(ir::Dims shape) {
  if (shape.size() >= 2) shape.insert(shape.end() - 1, 1);
  return shape;
}

// The inverse for a 2-D result: [N, C, 1, L] -> [N, C, L]; other shapes as they are.
ir::Dims without_row(ir::Dims shape) {
  if (shape.size() == 4 && shape[2] == 1) shape.erase(shape.begin() + 2);
  return shape;
}

// Axes of a rank-3 map in its 2-D form; `reduce`: the length axis is both H and W.
std::vector<std::int64_t> row_axes(const std::vector<std::int64_t>& axes, bool reduce) {
  std::vector<std::int64_t> out;
  for (const std::int64_t axis : axes) {
    const std::int64_t a = normalize_axis(axis, 3);
    if (a == 2 && reduce) out.push_back(2);
    out.push_back(a == 2 ? 3 : a);
  }
  return out;
}

// The window attributes of one axis extended by a height axis of one row.
void add_row_to_window(onnx::NodeProto& node) {
  for (const char* name : {"kernel_shape", "strides", "dilations", "output_shape"})
    if (const auto values = ints_attribute(node, name); values.size() == 1)
      set_ints(node, name, {1, values[0]});
  if (const auto padding = ints_attribute(node, "output_padding"); padding.size() == 1)
    set_ints(node, "output_padding", {0, padding[0]});
  if (const auto pads = ints_attribute(node, "pads"); pads.size() == 2)
    set_ints(node, "pads", {0, pads[0], 0, pads[1]});
}

// Pad's pads for [N, C, L] ([n0, c0, l0, n1, c1, l1]) with zeros for the row axis.
std::vector<std::int64_t> pads_with_row(const std::vector<std::int64_t>& pads) {
  if (pads.size() != 6) return pads;
  return {pads[0], pads[1], 0, pads[2], pads[3], pads[4], 0, pads[5]};
}

// Constant input `input` of a node on line maps, in the 2-D form.
Constant constant_with_row(Constant value, const onnx::NodeProto& node, Form form, int input,
                           int opset) {
  const bool pad_axes =
      form == Form::Pad && opset >= 18 && node.input_size() > 3 && !node.input(3).empty();
  if (form == Form::Pad && input == 1 && !pad_axes && opset >= 11)
    return Constant::from_ints(value.shape, pads_with_row(value.to_ints()));
  if ((form == Form::Pad && input == 3) || (form == Form::Reduce && input == 1)) {
    const auto axes = row_axes(value.to_ints(), form == Form::Reduce);
    return Constant::from_ints({static_cast<std::int64_t>(axes.size())}, axes);
  }
  value.shape = with_row(std::move(value.shape));
  return value;
}

// A reduction with keepdims 0 of an [N, C, L] input: its output shape, the reduced axes dropped
// (its 2-D twin drops them from [N, C, 1, L], which keeps the row when L is not reduced).
std::optional<ir::Dims> squeezed_reduction(const NodeContext& ctx, Form form) {
  if (form != Form::Reduce || int_attribute(ctx.node(), "keepdims", 1) != 0) return std::nullopt;
  const std::vector<std::int64_t> axes =
      ctx.has_input(1) ? ctx.constant(1).to_ints() : ints_attribute(ctx.node(), "axes");
  ir::Dims kept = ctx.input_shape(0);  // (the reduced axes as 1, then squeezed)
  if (axes.empty() || kept.size() != 3) return std::nullopt;  // (the twin's lowering decides)
  for (const std::int64_t axis : axes) kept[static_cast<std::size_t>(normalize_axis(axis, 3))] = 1;
  return squeeze_dims(kept, axes);
}

}  // namespace

bool GraphBuilder::reads_line_map(const onnx::NodeProto& node, bool any_rank_3) const {
  return std::any_of(node.input().begin(), node.input().end(), [&](const std::string& name) {
    if (name.empty()) return false;
    const auto found = entries_.find(name);
    if (found == entries_.end()) return false;
    const Entry& input = found->second;
    if (input.padding) return input.padding->shape.size() == 3;
    if (input.activation < 0) return false;
    const ir::Dims& shape = graph_.shape(input.activation);
    ir::ValueId root = input.activation;
    return shape.size() == 3 &&
           (any_rank_3 || find_view(graph_, input.activation, with_row(shape), root) >= 0);
  });
}

bool GraphBuilder::import_as_2d(const onnx::NodeProto& node, const OperatorImport& op) {
  const Form* form = form_of(node.op_type());
  // (a reduction also reads any [N, C, L] value as a line: a view of a map, x.view(b, c, -1)'s
  // mean over the pixels, is one)
  const bool spatial = form && (*form == Form::Window || *form == Form::Pad ||
                                *form == Form::Global || *form == Form::Reduce);
  if (!form || !reads_line_map(node, spatial)) return false;
  onnx::NodeProto twin = node;
  switch (*form) {
    case Form::Window: add_row_to_window(twin); break;
    case Form::Axis:
      if (find_attribute(node, "axis"))
        set_int(twin, "axis", row_axes({int_attribute(node, "axis", 0)}, false)[0]);
      break;
    case Form::Reduce:
      if (find_attribute(node, "axes"))
        set_ints(twin, "axes", row_axes(ints_attribute(node, "axes"), true));
      break;
    case Form::Pad:
      if (opset_ < 11) set_ints(twin, "pads", pads_with_row(ints_attribute(node, "pads")));
      break;
    case Form::Slice:  // below, once the inputs are known
    case Form::Global:
    case Form::Plain: break;
  }
  NodeContext ctx(*this, node, opset_);
  const std::optional<ir::Dims> squeezed = squeezed_reduction(ctx, *form);
  // Slice's axes, explicit (before its constants are taken below).
  const std::vector<std::int64_t> slice_axes =
      *form == Form::Slice ? row_axes(slice_params(ctx).axes, false) : std::vector<std::int64_t>{};
  TwinEntries temporaries(*this, "2d");
  for (int i = 0; i < node.input_size(); ++i) {
    const std::string& name = node.input(i);
    if (name.empty()) continue;
    const Entry& found = entry(name);  // (valid until temporaries.add below)
    Entry promoted;
    promoted.uses_left = 1;
    if (found.padding) {
      if (found.padding->shape.size() != 3) continue;
      auto padding = std::make_shared<ConstantPadding>(*found.padding);
      padding->shape = with_row(padding->shape);
      promoted.padding = std::move(padding);
    } else if (found.activation >= 0) {
      const ir::Dims& shape = graph_.shape(found.activation);
      if (shape.size() != 3) continue;
      promoted.activation = ctx.view_of(found.activation, with_row(shape), fmt::format("2d_{}", i));
    } else {
      promoted.constant = std::make_shared<Constant>(constant_with_row(
          ctx.take_constant(static_cast<std::size_t>(i)), node, *form, i, opset_));
    }
    twin.set_input(i, temporaries.add(name, std::move(promoted)));
  }
  if (*form == Form::Slice) {
    if (opset_ < 10) {
      set_ints(twin, "axes", slice_axes);
    } else {
      Entry explicit_axes;
      explicit_axes.uses_left = 1;
      explicit_axes.constant = std::make_shared<Constant>(
          Constant::from_ints({static_cast<std::int64_t>(slice_axes.size())}, slice_axes));
      while (twin.input_size() < 4) twin.add_input("");
      twin.set_input(3, temporaries.add(node.output(0) + "/axes", std::move(explicit_axes)));
    }
  }
  temporaries.add_outputs(node, twin);
  NodeContext twin_ctx(*this, twin, opset_);
  op.lower(twin_ctx);
  for (int o = 0; o < node.output_size(); ++o) {
    if (node.output(o).empty()) continue;
    const Entry result = entries_.at(twin.output(o));  // (defining outputs adds entries)
    const auto out = static_cast<std::size_t>(o);
    if (result.activation >= 0) {
      ctx.define_view(out, result.activation,
                      squeezed ? *squeezed : without_row(graph_.shape(result.activation)), "1d");
    } else if (result.padding) {
      ConstantPadding padding = *result.padding;
      padding.shape = without_row(padding.shape);
      ctx.define_padding(out, std::move(padding));
    }
  }
  return true;
}

}  // namespace pimhls::frontend
