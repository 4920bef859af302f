#pragma once
// Builds the IR from a checked, topologically sorted ONNX graph. Every ONNX value becomes either
// an activation (an ir::Value with a static shape) or a Constant (initializers, and whatever
// folds at import time); each node is handed to its operator's import function (import_ops.h)
// through a NodeContext.
#include <onnx/onnx_pb.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "frontend/constant_folding.h"
#include "frontend/if_branches.h"
#include "frontend/onnx_import.h"

namespace pimhls::frontend {

class GraphBuilder;
struct OperatorImport;

// The output of a Pad with a constant on H and W: no IR node computes it while a Conv, AveragePool
// or MaxPool that reads it adds `pads` to its window and reads `source` instead; any other reader
// gets a BorderPad of zeros (made once, on the first such read), plus `value` when not 0.
struct ConstantPadding {
  // The Pad's input; for a finite nonzero value, the input less the value (an Add), as the padded
  // map is then source padded with zeros, plus the value.
  ir::ValueId source = -1;
  ir::Dims shape;                      // the padded shape, as ONNX sees it
  std::array<std::int64_t, 4> pads{};  // top, left, bottom, right
  std::string node;                    // the Pad, for messages
  // 0, another finite value, or -inf (only a MaxPool can read it: its pads are skipped).
  float value = 0.0f;
};

// The value with `shape` on the chain of views (Reshape, Flatten) that made `x` (x first), or
// -1; `root` is the value before the chain.
ir::ValueId find_view(const ir::Graph& graph, ir::ValueId x, const ir::Dims& shape,
                      ir::ValueId& root);

// One ONNX node during import: its inputs and the means to define its outputs. Errors thrown
// by import functions are short (what is wrong); the builder prefixes file and node.
class NodeContext {
 public:
  NodeContext(GraphBuilder& builder, const onnx::NodeProto& node, int opset)
      : builder_(builder), node_(node), opset_(opset) {}

  const onnx::NodeProto& node() const { return node_; }
  int opset() const { return opset_; }

  // Inputs: i may be past the end or name an omitted optional input ("").
  bool has_input(std::size_t i) const;
  const std::string& input_name(std::size_t i) const;
  bool is_constant(std::size_t i) const;  // (a padded activation is not one)
  // The first present input that is an activation, or -1.
  int first_activation_input() const;
  ir::ValueId activation(std::size_t i) const;  // fails when a constant, padded or channels-last
  // The NCHW activation whose channels-last view input i is (channels_last.cpp), or -1.
  ir::ValueId channels_last_source(std::size_t i) const;
  const ConstantPadding* padding(std::size_t i) const;  // nullptr unless a Pad's output
  const Constant& constant(std::size_t i) const;        // fails when missing or an activation
  Constant take_constant(std::size_t i);                // moves the data on its last use
  // Of an activation or a constant; a copy: adding values to the graph moves the stored shapes.
  ir::Dims input_shape(std::size_t i) const;
  // The IR built so far (every earlier node, producers set): for patterns across nodes.
  const ir::Graph& graph() const;

  // Outputs.
  std::size_t output_count() const { return static_cast<std::size_t>(node_.output_size()); }
  bool output_used(std::size_t i) const;
  // The ONNX nodes that read output i (none for a graph output read by no node), and whether it
  // is a graph output.
  std::vector<const onnx::NodeProto*> readers(std::size_t i) const;
  bool is_graph_output(std::size_t i) const;
  // The shape of ONNX value `name` if it is an activation or a constant by now.
  std::optional<ir::Dims> known_shape(const std::string& name) const;
  void define_constant(std::size_t output, Constant value);
  void define_alias(std::size_t output, std::size_t input);
  // Output `output` is activation input `input` as it is, though ONNX gives the output a larger
  // shape: only where every reader broadcasts it to that shape itself (Expand).
  void define_broadcast_alias(std::size_t output, std::size_t input);
  void define_padding(std::size_t output, ConstantPadding padding);
  // Output `output` is activation `x` with its channels last, no data moved, when every node that
  // reads it on the way to a Transpose back can (channels_last.cpp); false otherwise. `x` is an
  // NCHW map (a Transpose to NHWC) or an [N, C, L] value (to [N, L, C]: the map [N, C, 1, L]).
  bool define_channels_last(std::size_t output, ir::ValueId x);
  // Output 0 is channels-last input 0 transposed back by `perm` (a view of its map; of the map's
  // [N, C, L] form for [N, L, C]); false when input 0 is no channels-last view, an error for any
  // other perm.
  bool define_transposed_back(const std::vector<std::int64_t>& perm);
  // Output `output` is graph input `input`, read by nothing else, transposed by `perm`: the IR's
  // graph input takes the transposed layout instead (ir::Graph::input_permutations).
  void define_transposed_input(std::size_t output, std::size_t input,
                               const std::vector<std::int64_t>& perm);
  // Output `output` is activation `x` reshaped to `shape` (a view: no data moves). A chain of
  // views is one view: of the value before the chain, or a value on it with that shape (the
  // views between then go unread; fusion drops them).
  // `suffix` names a new Reshape node apart from others made from this ONNX node.
  void define_view(std::size_t output, ir::ValueId x, ir::Dims shape,
                   const std::string& suffix = "");
  // `x` as `shape`, the same way: a value on x's chain of views, or a new Reshape
  // (intermediate value "suffix").
  ir::ValueId view_of(ir::ValueId x, const ir::Dims& shape, const std::string& suffix);
  // The model's declared shapes (value_info, ONNX's shape inference) are not checked from here
  // on: a ceil_mode pool dropped a window that ONNX's shape inference counts.
  void distrust_declared_shapes();
  // The ir::Value of output `output`, with its shape checked against ONNX's.
  ir::ValueId output_value(std::size_t output, ir::Dims shape);
  // An extra value between two IR nodes made from this one ONNX node.
  ir::ValueId intermediate_value(const std::string& suffix, ir::Dims shape);
  // Appends an IR node named after this ONNX node (plus "/suffix" for a second one).
  ir::Node& add_node(ir::Op op, std::vector<ir::ValueId> inputs, ir::ValueId output,
                     const std::string& suffix = "");

 private:
  GraphBuilder& builder_;
  const onnx::NodeProto& node_;
  int opset_;
};

class GraphBuilder {
 public:
  // Initializers are released from `graph` as they are converted (weights are not kept twice).
  // `if_guards`: the nodes moved out of If branches (if_branches.h).
  GraphBuilder(onnx::GraphProto& graph, int opset, std::string source, const ImportOptions& options,
               IfGuards if_guards = {});
  // The IR in ONNX node order, before fusion; producers set.
  ir::Graph build();

 private:
  friend class NodeContext;

  struct Entry {
    ir::ValueId activation = -1;
    std::shared_ptr<Constant> constant;
    onnx::TensorProto* initializer = nullptr;  // converted on first use
    std::shared_ptr<const ConstantPadding> padding;
    // Non-empty: the ONNX value is `activation` (NCHW) with its channels last, of this shape
    // ([N, H, W, C], or [N, L, C] of an activation [N, C, 1, L]).
    ir::Dims channels_last;
    int uses_left = 0;
  };

  // The entries of a node's twin (a rewritten copy imported in its place: line_maps.cpp,
  // channels_last.cpp), erased when it goes.
  class TwinEntries {
   public:
    TwinEntries(GraphBuilder& builder, std::string suffix)
        : builder_(builder), suffix_(std::move(suffix)) {}
    TwinEntries(const TwinEntries&) = delete;
    TwinEntries& operator=(const TwinEntries&) = delete;
    ~TwinEntries();
    // A new entry named after `base`; returns its name.
    std::string add(const std::string& base, Entry entry);
    // Every output of `node` as a new entry of `twin`, with the uses of the original.
    void add_outputs(const onnx::NodeProto& node, onnx::NodeProto& twin);

   private:
    GraphBuilder& builder_;
    std::string suffix_;
    std::vector<std::string> names_;
  };

  // ONNX value `name`, which must be an activation, a constant or a Pad's output by now (a value
  // of an If's branch not taken never is).
  Entry& entry(const std::string& name);
  const Constant& materialize(const std::string& name);
  ir::ValueId add_value(const std::string& name, ir::Dims shape);
  // The BorderPad of zeros (and the Add of a nonzero value) that computes the ConstantPadding
  // `name`, added on first use.
  ir::ValueId materialize_padding(const std::string& name);
  // Appends an IR node (producer set); `name` must be unique.
  ir::Node& append_node(std::string name, ir::Op op, std::vector<ir::ValueId> inputs,
                        ir::ValueId output);
  void check_declared_shape(const std::string& name, const ir::Dims& shape) const;
  void add_graph_inputs();
  void import_node(const onnx::NodeProto& node);
  void import_taken_node(NodeContext& ctx);
  // False for a node moved out of an If's branch that some If around it did not take, and for a
  // node that reads what such a node writes; fails when such an If's condition is not a
  // constant.
  bool branch_taken(const onnx::NodeProto& node);
  // A node on [N, C, L] maps imported as its 2-D form on [N, C, 1, L] (line_maps.cpp); false
  // when it reads no such map or has no 2-D form.
  bool import_as_2d(const onnx::NodeProto& node, const OperatorImport& op);
  // `any_rank_3`: every [N, C, L] activation is a map (the node is spatial: Conv, pools, Pad);
  // otherwise only those made by a node imported in 2-D (an [N, T, D] sequence stays 3-D).
  bool reads_line_map(const onnx::NodeProto& node, bool any_rank_3) const;
  // `base`, or `base`_2, `base`_3, ...: the first that no entry (ONNX or twin value) has, or
  // with NameSpace::Nodes the first no node has, with Both neither.
  enum class NameSpace { Entries, Nodes, Both };
  std::string unused_name(const std::string& base, NameSpace space = NameSpace::Entries) const;
  // A node reading channels-last views imported on the NCHW maps (channels_last.cpp); false when
  // it reads none.
  bool import_channels_last(const onnx::NodeProto& node, const OperatorImport& op);
  // Whether value `name`, as a channels-last view, is read only by nodes that can read views, up
  // to Transposes back to NCHW.
  // `shape`: the view's ONNX shape ([N, H, W, C] or [N, L, C]). `needs_view`, when given, tells
  // whether a node on the way runs without moving data only on a view: a MatMul or
  // LayerNormalization (over the channels), an element-wise operator with a constant that
  // varies along the channels of [N, L, C] (before any reduction or operator of two
  // activations), or a Transpose back (the map itself) that does not read `name` directly and
  // whose output is no view in turn.
  bool stays_channels_last(const std::string& name, const ir::Dims& shape,
                           bool* needs_view = nullptr);
  // Graph input `name` (IR value `input`, still in the model's layout) becomes a channels-last
  // view when it is [N, L, C] or [N, H, W, C] and a node on its way needs the view (a
  // sequence's tokens into Linear layers, element-wise operators before a Transpose to
  // channels-first): the IR's input takes the channels-first layout
  // (ir::Graph::input_permutations). False when it stays as it is.
  bool define_channels_last_input(const std::string& name, ir::ValueId input);
  // The model's layout of a graph output that is a channels-last view of shape `view`.
  static ir::Graph::OutputLayout channels_last_layout(const ir::Dims& view);
  // Value `name` is NCHW activation `x` as a channels-last view of ONNX shape `view`.
  void define_channels_last(const std::string& name, ir::ValueId x, const ir::Dims& view);
  void add_graph_outputs();

  onnx::GraphProto& onnx_graph_;
  int opset_;
  std::string source_;
  const ImportOptions& options_;
  IfGuards if_guards_;
  std::unordered_set<std::string> untaken_values_;  // written by nodes not taken
  ir::Graph graph_;
  std::unordered_map<std::string, Entry> entries_;
  std::unordered_map<std::string, const onnx::TypeProto*> declared_;  // value_info and outputs
  bool declared_trusted_ = true;
  std::unordered_set<std::string> node_names_;
  std::unordered_map<std::string, std::vector<const onnx::NodeProto*>> readers_;
};

}  // namespace pimhls::frontend
