#include "frontend/onnx_import.h"

#include "frontend/fusion.h"
#include "frontend/graph_builder.h"
#include "frontend/if_branches.h"
#include "frontend/import_ops.h"
#include "frontend/legacy_broadcast.h"
#include "frontend/norm_reductions.h"
#include "frontend/onnx_load.h"
#include "frontend/transposed_softmax.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

// Names come from the file and may hold control characters; messages stay on one line.
std::string one_line(const std::string& message) {
  std::string line;
  for (const char c : message) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f)
      line += fmt::format("\\x{:02x}", byte);
    else
      line += c;
  }
  return line;
}

ir::Graph import_model(onnx::ModelProto model, const std::string& source,
                       const ImportOptions& options) {
  const int opset = default_opset(model, source);
  onnx::GraphProto& onnx_graph = *model.mutable_graph();
  set_input_shapes(onnx_graph, options.input_shapes, source);
  std::vector<std::string> notes = set_dynamic_batch_to_one(onnx_graph);
  // (a branch not taken may not infer on these shapes: shape inference is then not strict)
  const IfGuards if_guards = flatten_ifs(model, source, opset);
  name_nodes(onnx_graph);
  expand_norm_reductions(onnx_graph, opset);
  check_operators(onnx_graph, source, if_guards);
  sort_nodes(onnx_graph, source, if_guards);
  check_initializer_sizes(onnx_graph, source);
  check_window_attributes(onnx_graph, source);
  check_with_onnx(model, source, /*strict=*/if_guards.empty());
  align_legacy_broadcasts(onnx_graph, opset, source);
  fold_transposed_softmaxes(onnx_graph, opset);

  ir::Graph graph = GraphBuilder(onnx_graph, opset, source, options, if_guards).build();
  graph.notes = std::move(notes);
  try {
    ir::sort_topologically(graph);
    remove_unread_nodes(graph);  // f(x) of Mul(x, f(x)) as one Unary; views chained past
    fold_bias_adds(graph);
    if (options.fuse) {
      fold_gathers_into_gemms(graph);
      fold_channel_affines(graph);  // BN first, so that Conv -> BN -> Relu becomes one node
      fuse_activations(graph);
      compose_unaries(graph);
    }
    remove_unused_values(graph);
    ir::sort_topologically(graph);
    // ArgMax's indices are no activation the accelerator reads: it ends the network (host).
    for (const ir::Node& node : graph.nodes)
      if (node.op == ir::Op::ArgMax &&
          (!graph.is_output(node.output) || !graph.consumers(node.output).empty()))
        fail("node '{}' (ArgMax) runs on the host and must produce a graph output", node.name);
  } catch (const Error& e) {
    fail("{}: {}", source, e.what());
  }
  return graph;
}

}  // namespace

ir::Graph import_onnx(const std::filesystem::path& path, const ImportOptions& options) {
  try {
    return import_model(parse_model_file(path), path.string(), options);
  } catch (const Error& e) {
    throw Error(one_line(e.what()));
  }
}

ir::Graph import_onnx_model(onnx::ModelProto model, const std::string& source,
                            const ImportOptions& options) {
  try {
    return import_model(std::move(model), source, options);
  } catch (const Error& e) {
    throw Error(one_line(e.what()));
  }
}

ir::Graph import_onnx_bytes(const std::string& bytes, const std::string& source,
                            const ImportOptions& options) {
  try {
    return import_model(parse_model(bytes, source), source, options);
  } catch (const Error& e) {
    throw Error(one_line(e.what()));
  }
}

}  // namespace pimhls::frontend
