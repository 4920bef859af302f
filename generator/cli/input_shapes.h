#pragma once
// --input-shape [NAME=]DIMS: static shapes for graph inputs declared with dynamic dimensions
// (a model exported with a symbolic batch), shared by every command that imports a model.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "frontend/onnx_import.h"

namespace pimhls::cli {

void add_input_shape_option(CLI::App& command, std::vector<std::string>& specs);

// The import options for `specs` ("input=1x3x224x224", or "1x3x224x224" for the only input).
frontend::ImportOptions import_options(const std::vector<std::string>& specs);

// Prints what the import assumed (graph.notes) to stderr, one "note:" line each.
void print_import_notes(const ir::Graph& graph);

// frontend::import_onnx with --input-shape `specs`; prints the import's notes.
ir::Graph import_model_file(const std::string& model, const std::vector<std::string>& specs);

}  // namespace pimhls::cli
