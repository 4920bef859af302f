#include "emit/flow.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "emit/staged_output.h"
#include "emulate/emulate.h"
#include "frontend/onnx_import.h"
#include "quant/calibrate.h"
#include "quant/from_library.h"
#include "quant/quantize.h"
#include "util/error.h"
#include "util/files.h"

namespace pimhls::emit {

namespace fs = std::filesystem;

quant::QuantizedGraph quantize_for_rtl(const ir::Graph& graph, const hw::Library& library,
                                       const QuantRecipe& recipe) {
  const quant::QuantConfig config = quant::with_library_bits(library, quant::QuantConfig{});
  quant::validate(config);
  return in_context(recipe.model, [&] {
    return quant::quantize(
        graph, quant::random_input_sets(graph, recipe.calibration_count, recipe.calibration_seed),
        config);
  });
}

RtlDesign compile_rtl(const ir::Graph& graph, const hw::Library& library,
                      const std::string& design_json, const std::string& design_source,
                      const QuantRecipe& recipe) {
  RtlDesign rtl{quantize_for_rtl(graph, library, recipe),
                compile::parse_design_info(design_json, design_source),
                {},
                design_json};
  rtl.program = compile::compile_design(rtl.graph, rtl.design, library);
  return rtl;
}

void write_rtl(const fs::path& dir, const RtlDesign& rtl, const hw::Library& library,
               const QuantRecipe& recipe) {
  // Timing does not depend on the data (docs/isa.md): zero inputs give the expected cycles.
  std::vector<quant::IntTensor> zeros;
  for (const int id : rtl.program.input_buffers) {
    const compile::Buffer& buffer = rtl.program.buffers.at(static_cast<std::size_t>(id));
    zeros.push_back({{1, buffer.channels, buffer.height, buffer.width},
                     std::vector<std::int32_t>(static_cast<std::size_t>(buffer.elements()), 0)});
  }
  const emulate::Result emulated = emulate::run(rtl.program, zeros, {.compute_values = false});
  const compile::ProgramTiming timing = emulated.timing();
  compile::write_program(rtl.program, dir, &timing);
  const DesignContext context{rtl.design.clock_ghz, rtl.design.latency_cycles, rtl.design_json,
                              recipe};
  for (const GeneratedFile& file :
       design_files(rtl.program, rtl.graph, rtl.design, library, context)) {
    const fs::path path = dir / file.path;
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    write_file_atomic(path, file.contents);
  }
}

RtlDesign load_rtl(const fs::path& out_dir) {
  const fs::path config_path = out_dir / "sim_config.json";
  nlohmann::json config;
  try {
    config = nlohmann::json::parse(read_file(config_path));
  } catch (const nlohmann::json::exception& error) {
    fail("{}: not valid JSON: {}", config_path.string(), error.what());
  }
  QuantRecipe recipe;
  std::string program_hash;
  try {
    const nlohmann::json& q = config.at("quantization");
    recipe.model = q.at("model").get<std::string>();
    recipe.hardware_library = q.at("hardware_library").get<std::string>();
    recipe.calibration_count = q.at("calibration_count").get<int>();
    recipe.calibration_seed = q.at("calibration_seed").get<unsigned>();
    recipe.input_shapes =  // (absent before --input-shape)
        q.value("input_shapes", std::map<std::string, ir::Dims>{});
    program_hash = config.at("program_hash").get<std::string>();
  } catch (const nlohmann::json::exception& error) {
    fail("{}: {}", config_path.string(), error.what());
  }
  frontend::ImportOptions import;
  import.input_shapes = recipe.input_shapes;
  const ir::Graph graph = frontend::import_onnx(recipe.model, import);
  const hw::Library library = recipe.hardware_library.rfind("<", 0) == 0
                                  ? hw::builtin_library()
                                  : hw::load_library(recipe.hardware_library);
  const fs::path design_path = out_dir / "design.json";
  RtlDesign rtl = compile_rtl(graph, library, read_file(design_path), design_path.string(), recipe);
  const std::string hash = fmt::format("{:016x}", rtl.program.hash());
  if (hash != program_hash)
    fail(
        "{}: the program compiled from {} and {} (fnv1a64 {}) is not the one the design was "
        "generated from ({}): run pimhls gen again",
        out_dir.string(), recipe.model, design_path.string(), hash, program_hash);
  return rtl;
}

}  // namespace pimhls::emit
