#include "cli/input_shapes.h"

#include <charconv>

#include "util/error.h"

namespace pimhls::cli {

void add_input_shape_option(CLI::App& command, std::vector<std::string>& specs) {
  command.add_option("--input-shape", specs,
                     "[NAME=]DIMS: the shape of a graph input with dynamic dimensions, e.g. "
                     "input=1x3x224x224 (NAME may be left out when the model has one input)");
}

frontend::ImportOptions import_options(const std::vector<std::string>& specs) {
  frontend::ImportOptions options;
  for (const std::string& spec : specs) {
    const std::size_t equals = spec.rfind('=');
    const std::string name = equals == std::string::npos ? "" : spec.substr(0, equals);
    const std::string dims = equals == std::string::npos ? spec : spec.substr(equals + 1);
    ir::Dims shape;
    for (std::size_t begin = 0; begin <= dims.size();) {
      const std::size_t end = std::min(dims.find('x', begin), dims.size());
      std::int64_t value = 0;
      const auto [last, error] = std::from_chars(dims.data() + begin, dims.data() + end, value);
      if (error != std::errc() || last != dims.data() + end || value <= 0)
        fail(
            "--input-shape '{}': expected [NAME=]DIMS with positive dimensions, such as "
            "input=1x3x224x224",
            spec);
      shape.push_back(value);
      begin = end + 1;
    }
    if (!options.input_shapes.emplace(name, std::move(shape)).second)
      fail("--input-shape '{}': input {} is given twice", spec,
           name.empty() ? std::string("(the only one)") : "'" + name + "'");
  }
  return options;
}

void print_import_notes(const ir::Graph& graph) {
  for (const std::string& note : graph.notes) fmt::print(stderr, "note: {}\n", note);
}

ir::Graph import_model_file(const std::string& model, const std::vector<std::string>& specs) {
  ir::Graph graph = frontend::import_onnx(model, import_options(specs));
  print_import_notes(graph);
  return graph;
}

}  // namespace pimhls::cli
