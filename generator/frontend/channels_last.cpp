// Maps transposed to channels-last in mid-network, the IR keeping the NCHW map and the ONNX
// value becoming a view of it, no data moved: ConvNeXt's blocks (a Transpose to NHWC, LayerNorm
// over the channels, Linear layers on every pixel, GELU, a Transpose back), and the tokens of a
// map or a 1-D map as [N, L, C] (SegFormer's and PVT's x.flatten(2).transpose(1, 2), wav2vec2's
// LayerNorm between transposes of a Conv1d map), the NCHW map then [N, C, 1, L]. The nodes up to
// the Transpose back are imported as their NCHW twins: element-wise operators with their
// constants transposed, reductions over the last axis over the channels and over the pixels over
// H and W, MatMul by a constant [C, K] as a 1x1 Conv, LayerNormalization and Softmax over the
// last axis over the channels (a Softmax over the channels as exporters before opset 13 write
// it), a Reshape between [N, L, C] and [N, H, W, C] as a view of the NCHW map. A view that is a
// graph output is the NCHW map, written in the model's layout (ir::Graph::output_layouts); a
// graph input [N, L, C] or [N, H, W, C] that a MatMul or LayerNormalization reads as a view (a
// sequence's tokens, PointNet's points), or a Transpose back after element-wise operators into
// what reads no view, is one, the IR's input in the channels-first layout
// (ir::Graph::input_permutations). When anything else would read the view, it is not made: the
// Transpose moves the data (a gather).
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <optional>
#include <set>
#include <string_view>

#include "frontend/graph_builder.h"
#include "frontend/import_ops.h"
#include "frontend/onnx_attributes.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

enum class ViewForm { Elementwise, Reduce, MatMul, LayerNorm, Softmax, Reshape, Back };

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
  if (op == "Reshape") return ViewForm::Reshape;
  if (op == "Transpose") return ViewForm::Back;
  return std::nullopt;
}

// A view's shape for NCHW `nchw`: [N, H, W, C], or at rank 3 (a map one row high) [N, W, C].
ir::Dims view_shape(const ir::Dims& nchw, std::size_t rank) {
  if (rank == 3) return {nchw[0], nchw[3], nchw[1]};
  return {nchw[0], nchw[2], nchw[3], nchw[1]};
}

// The inverse: the NCHW map a view of shape [N, H, W, C] or [N, L, C] is.
ir::Dims nchw_of(const ir::Dims& view) {
  if (view.size() == 3) return {view[0], view[2], 1, view[1]};
  return {view[0], view[3], view[1], view[2]};
}

// The Transpose from a view of rank `rank` back to channels-first.
std::vector<std::int64_t> back_perm(std::size_t rank) {
  if (rank == 3) return {0, 2, 1};
  return {0, 3, 1, 2};
}

// A constant broadcast against a channels-last view, for the NCHW map: right-aligned to rank 4,
// its axes permuted (a scalar stays as it is). (At rank 3, [N, L, C] is [N, 1, L, C].)
Constant channels_first(Constant value) {
  if (value.count() <= 1 || value.shape.size() > 4) return value;
  while (value.shape.size() < 4) value.shape.insert(value.shape.begin(), 1);
  return fold_transpose(value, {0, 3, 1, 2});
}

// MatMul's constant [C, K] as the weight [K, C, 1, 1] of a 1x1 Conv.
Constant conv_weight(const Constant& matrix) {
  Constant weight = fold_transpose(matrix, {1, 0});
  weight.shape = {matrix.shape[1], matrix.shape[0], 1, 1};
  return weight;
}

bool is_last_axis_only(const std::vector<std::int64_t>& axes, std::size_t rank) {
  return axes.size() == 1 && (axes[0] == -1 || axes[0] == static_cast<std::int64_t>(rank) - 1);
}

// Whether `axes` are the view's pixels: L of [N, L, C], H and W of [N, H, W, C].
bool is_pixel_axes(std::vector<std::int64_t> axes, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  for (std::int64_t& axis : axes)
    if (axis >= -r && axis < r) axis = normalize_axis(axis, r);
  std::sort(axes.begin(), axes.end());
  std::vector<std::int64_t> pixels(rank - 2);
  std::iota(pixels.begin(), pixels.end(), 1);
  return axes == pixels;
}

// Softmax's axis (before opset 13 the axes from it on, which for the last axis is the same).
std::int64_t softmax_axis(const onnx::NodeProto& node, int opset) {
  return int_attribute(node, "axis", opset < 13 ? 1 : -1);
}

// Whether a view of shape `from` reshaped to `to` is a view again: [N, L, C] or [N, H, W, C]
// with the same N, C and pixels in the same order.
bool keeps_pixels(const ir::Dims& from, const ir::Dims& to) {
  return (to.size() == 3 || to.size() == 4) && to.front() == from.front() &&
         to.back() == from.back() && ir::element_count(to) == ir::element_count(from);
}

}  // namespace

bool NodeContext::define_channels_last(std::size_t output, ir::ValueId x) {
  const ir::Dims shape = builder_.graph_.shape(x);
  if (output >= output_count() || node_.output(output).empty() ||
      (shape.size() != 4 && shape.size() != 3))
    return false;
  const ir::Dims view =
      shape.size() == 3 ? ir::Dims{shape[0], shape[2], shape[1]} : view_shape(shape, 4);
  if (!builder_.stays_channels_last(node_.output(output), view)) return false;
  const ir::ValueId map = shape.size() == 3 ? view_of(x, nchw_of(view), "map") : x;
  builder_.define_channels_last(node_.output(output), map, view);
  return true;
}

bool NodeContext::define_transposed_back(const std::vector<std::int64_t>& perm) {
  const ir::ValueId source = channels_last_source(0);
  if (source < 0) return false;
  const std::size_t rank = builder_.entry(input_name(0)).channels_last.size();
  if (perm != back_perm(rank))
    fail(
        "perm {} of a map transposed to channels-last; only the Transpose back (perm {}) is "
        "supported",
        fmt::join(perm, ","), fmt::join(back_perm(rank), ","));
  const ir::Dims map = builder_.graph_.shape(source);
  define_view(0, source, rank == 3 ? ir::Dims{map[0], map[1], map[3]} : map);
  return true;
}

void GraphBuilder::define_channels_last(const std::string& name, ir::ValueId x,
                                        const ir::Dims& view) {
  check_declared_shape(name, view);
  Entry& entry = entries_[name];
  entry.activation = x;
  entry.channels_last = view;
}

bool GraphBuilder::stays_channels_last(const std::string& name, const ir::Dims& shape,
                                       bool* needs_view) {
  // A view on the walk: its rank, and its shape where known by now (empty otherwise: a MatMul by
  // a weight computed later, a Reshape to a shape computed later).
  struct View {
    std::string value;
    std::size_t rank;
    ir::Dims shape;
    // After a reduction or an operator of two activations: a value the import may take as a
    // line map (a reduction reads a rank-3 value as one, and so do the operators after it);
    // tracked only for `needs_view`.
    bool line = false;
  };
  std::set<std::string> seen;
  std::vector<View> pending = {{name, shape.size(), shape}};
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
  // The view a Reshape makes of `from`, or nullopt when it makes none. A shape computed later is
  // taken on trust (the import checks it) when its rank is known: declared for the output or
  // the shape (ONNX's shape inference).
  const auto reshaped = [&](const onnx::NodeProto& node, const View& from) -> std::optional<View> {
    std::optional<std::vector<std::int64_t>> requested;
    if (opset_ < 5)
      requested = ints_attribute(node, "shape");
    else if (const Constant* target = constant_now(node, 1))
      requested = target->to_ints();
    View to{node.output(0), 0, {}, from.line};
    if (requested && !from.shape.empty()) {
      try {
        to.shape = reshape_dims(from.shape, *requested, int_attribute(node, "allowzero", 0) != 0);
      } catch (const Error&) {
        return std::nullopt;
      }
      if (!keeps_pixels(from.shape, to.shape)) return std::nullopt;
      to.rank = to.shape.size();
    } else if (requested) {
      to.rank = requested->size();
      if (std::all_of(requested->begin(), requested->end(), [](auto d) { return d > 0; }))
        to.shape = ir::Dims(requested->begin(), requested->end());
    } else if (const auto out = declared_.find(node.output(0));
               out != declared_.end() && out->second->tensor_type().shape().dim_size() > 0) {
      to.rank = static_cast<std::size_t>(out->second->tensor_type().shape().dim_size());
    } else if (const auto target = declared_.find(node.input(1)); target != declared_.end()) {
      const onnx::TensorShapeProto& dims = target->second->tensor_type().shape();
      if (dims.dim_size() == 1 && dims.dim(0).has_dim_value())
        to.rank = static_cast<std::size_t>(dims.dim(0).dim_value());
    }
    if (to.rank != 3 && to.rank != 4) return std::nullopt;
    return to;
  };
  while (!pending.empty()) {
    const View view = pending.back();
    pending.pop_back();
    if (!seen.insert(view.value).second) continue;
    const auto readers = readers_.find(view.value);
    if (readers == readers_.end()) continue;
    for (const onnx::NodeProto* node : readers->second) {
      const std::optional<ViewForm> form = view_form(*node);
      if (!form) return false;
      View next{node->output_size() > 0 ? node->output(0) : "", view.rank, view.shape, view.line};
      switch (*form) {
        case ViewForm::Back: {
          if (ints_attribute(*node, "perm") != back_perm(view.rank)) return false;
          // Not for a graph input's own Transpose (lower_transpose decides which side is the
          // view), nor for a Transpose (0, 2, 1) whose output reads as a view itself (of a 1-D
          // map to its tokens: wav2vec2's LayerNorm between transposes).
          if (!needs_view || view.value == name) continue;
          const bool output_is_view =
              view.rank == 3 &&
              (view.shape.empty() ||
               stays_channels_last(node->output(0), {view.shape[0], view.shape[2], view.shape[1]}));
          if (!output_is_view) *needs_view = true;
          continue;
        }
        case ViewForm::Elementwise:
          for (int i = 0; i < node->input_size(); ++i) {
            const std::string& input = node->input(i);
            const auto other = entries_.find(input);  // (a view made before is read as one)
            const bool earlier_view =
                other != entries_.end() && other->second.channels_last.size() == view.rank;
            if (input != view.value && !earlier_view && !not_yet_activation(input)) return false;
            // A constant that varies along the last axis (a positional embedding [L, C], a
            // per-feature gain) is per channel on the view; an [N, T, D] sequence takes none.
            // (Line maps take it: LayerNorm written out, whose mean over the last axis of a map
            // one row high is a cheap pool, over the view's channels a 1x1 Conv. An NCHW map
            // takes it too: a mask per pixel.)
            if (!needs_view || input == view.value) continue;
            if (const Constant* constant = constant_now(*node, i); !constant)
              next.line = true;
            else if (view.rank == 3 && !view.line && !constant->shape.empty() &&
                     constant->shape.back() > 1)
              *needs_view = true;
          }
          break;
        case ViewForm::Reduce: {  // (axes computed later are checked by the twin)
          const bool axes_input = node->input_size() > 1 && !node->input(1).empty();
          if (node->input(0) != view.value || (!axes_input && !find_attribute(*node, "axes")))
            return false;  // (no axes: over every axis)
          std::optional<std::vector<std::int64_t>> axes;
          if (const Constant* constant = constant_now(*node, 1)) axes = constant->to_ints();
          if (find_attribute(*node, "axes")) axes = ints_attribute(*node, "axes");
          const bool pixels = axes && is_pixel_axes(*axes, view.rank);
          if (int_attribute(*node, "keepdims", 1) != 1) {
            if (!pixels) return false;
            continue;  // (an [N, C] vector: no view)
          }
          if (axes && !pixels && !is_last_axis_only(*axes, view.rank)) return false;
          next.line = true;
          if (!axes) {
            next.shape.clear();
          } else if (!next.shape.empty() && pixels) {
            std::fill(next.shape.begin() + 1, next.shape.end() - 1, 1);
          } else if (!next.shape.empty()) {
            next.shape.back() = 1;
          }
          break;
        }
        case ViewForm::MatMul: {  // (a weight computed later, a Transpose of it, too)
          const Constant* weight = constant_now(*node, 1);
          if (node->input(0) != view.value || !not_yet_activation(node->input(1)) ||
              (weight && weight->shape.size() != 2))
            return false;
          if (weight && !next.shape.empty()) next.shape.back() = weight->shape[1];
          if (!weight) next.shape.clear();
          if (needs_view) *needs_view = true;
          break;
        }
        case ViewForm::Softmax:
          if (!is_last_axis_only({softmax_axis(*node, opset_)}, view.rank)) return false;
          break;
        case ViewForm::LayerNorm:
          if (node->input(0) != view.value ||
              !is_last_axis_only({int_attribute(*node, "axis", -1)}, view.rank))
            return false;
          for (int o = 1; o < node->output_size(); ++o)
            if (!node->output(o).empty() &&
                (readers_.count(node->output(o)) || is_output(node->output(o))))
              return false;
          if (needs_view) *needs_view = true;
          break;
        case ViewForm::Reshape: {
          if (node->input(0) != view.value) return false;
          std::optional<View> to = reshaped(*node, view);
          if (!to) return false;
          next = *std::move(to);
          break;
        }
      }
      if (!next.value.empty()) pending.push_back(std::move(next));
    }
  }
  return true;
}

bool GraphBuilder::define_channels_last_input(const std::string& name, ir::ValueId input) {
  const ir::Dims model = graph_.shape(input);
  bool needs_view = false;
  if ((model.size() != 3 && model.size() != 4) || !stays_channels_last(name, model, &needs_view) ||
      !needs_view)
    return false;
  const ir::Dims map = nchw_of(model);
  ir::Value& value = graph_.values[static_cast<std::size_t>(input)];
  graph_.input_permutations[input] = back_perm(model.size());
  value.shape = model.size() == 3 ? ir::Dims{map[0], map[1], map[3]} : map;
  ir::ValueId view = input;
  if (model.size() == 3) {  // the map [N, C, 1, L] of the input [N, C, L]
    const std::string reshape = unused_name(name + "/map", NameSpace::Both);
    view = add_value(reshape, map);
    append_node(reshape, ir::Op::Reshape, {input}, view);
  }
  define_channels_last(name, view, model);
  return true;
}

ir::Graph::OutputLayout GraphBuilder::channels_last_layout(const ir::Dims& view) {
  return {{0, 2, 3, 1}, view};  // (the map [N, C, 1, L] of [N, L, C] as [N, 1, L, C])
}

bool GraphBuilder::import_channels_last(const onnx::NodeProto& node, const OperatorImport& op) {
  std::size_t rank = 0;  // the views' rank
  for (const std::string& name : node.input()) {
    const auto found = entries_.find(name);
    if (found == entries_.end() || found->second.channels_last.empty()) continue;
    if (rank != 0 && rank != found->second.channels_last.size())
      fail("reads maps transposed to channels-last of ranks {} and {}", rank,
           found->second.channels_last.size());
    rank = found->second.channels_last.size();
  }
  const std::optional<ViewForm> form = view_form(node);
  if (rank == 0 || form == ViewForm::Back) return false;  // Transpose back: lower_transpose
  if (!form)
    fail(
        "reads a map transposed to channels-last; only element-wise operators, reductions, "
        "MatMul, LayerNormalization and Softmax over its last axis, a Reshape and a Transpose "
        "back can");
  NodeContext ctx(*this, node, opset_);
  if (*form == ViewForm::Reshape) {
    const ir::Dims from = ctx.input_shape(0);
    const ir::Dims to = reshape_target(ctx, from);
    if (!keeps_pixels(from, to))
      fail(
          "reshapes a map transposed to channels-last from {} to {}; only to [N, L, C] or "
          "[N, H, W, C] with the same N, C and pixels is supported",
          ir::format_dims(from), ir::format_dims(to));
    const ir::ValueId map = ctx.view_of(entry(node.input(0)).activation, nchw_of(to), "map");
    define_channels_last(node.output(0), map, to);
    return true;
  }
  bool pixels = false;  // a reduction over the pixels
  if (*form == ViewForm::Reduce) {
    const std::vector<std::int64_t> axes =
        ctx.has_input(1) ? ctx.constant(1).to_ints() : ints_attribute(node, "axes");
    pixels = is_pixel_axes(axes, rank);
    if (!pixels && (!is_last_axis_only(axes, rank) || int_attribute(node, "keepdims", 1) != 1))
      fail(
          "reduces axes {} of a map transposed to channels-last; only the last axis (keepdims "
          "1) or the pixels are supported",
          fmt::join(axes, ","));
  }
  if (*form == ViewForm::Softmax && !is_last_axis_only({softmax_axis(node, opset_)}, rank))
    fail("{} over axis {} of a map transposed to channels-last; only the last axis is supported",
         node.op_type(), softmax_axis(node, opset_));
  if (*form == ViewForm::MatMul && ctx.constant(1).shape.size() != 2)
    fail(
        "multiplies a map transposed to channels-last by '{}' of shape {}; only a matrix [C, K] "
        "is supported",
        ctx.input_name(1), ir::format_dims(ctx.constant(1).shape));
  const std::vector<std::int64_t> twin_axes =
      pixels ? std::vector<std::int64_t>{2, 3} : std::vector<std::int64_t>{1};
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
      fail("input '{}' is an NCHW map next to a map transposed to channels-last", name);
    } else if (*form == ViewForm::Reduce && i == 1) {
      nchw.constant = std::make_shared<Constant>(
          Constant::from_ints({static_cast<std::int64_t>(twin_axes.size())}, twin_axes));
    } else if (*form == ViewForm::MatMul && i == 1) {
      nchw.constant = std::make_shared<Constant>(conv_weight(ctx.constant(1)));
    } else {
      nchw.constant = std::make_shared<Constant>(
          channels_first(ctx.take_constant(static_cast<std::size_t>(i))));
    }
    twin.set_input(i, temporaries.add(name, std::move(nchw)));
  }
  if (*form == ViewForm::Reduce && find_attribute(node, "axes")) set_ints(twin, "axes", twin_axes);
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
    const ir::Dims& shape = graph_.shape(result.activation);
    if (shape.size() == 4) {
      define_channels_last(node.output(o), result.activation, view_shape(shape, rank));
    } else {  // (the pixels reduced with keepdims 0: an [N, C] vector)
      check_declared_shape(node.output(o), shape);
      entries_[node.output(o)].activation = result.activation;
    }
  }
  return true;
}

}  // namespace pimhls::frontend
