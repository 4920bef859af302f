#include "emit/sim_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "compile/rom_file.h"
#include "emit/header.h"
#include "emit/memory_map.h"

namespace pimhls::emit {

using Json = nlohmann::ordered_json;

std::int64_t cycle_limit(const compile::Program& program, std::int64_t estimate_cycles) {
  std::int64_t reload = 0;
  for (const compile::GroupPlan& group : program.groups) reload += group.reload_cycles;
  return 4 * std::max(estimate_cycles, program.design_latency_cycles) + 2 * reload + 100000;
}

namespace {

const char* kind_name(compile::BufferKind kind) {
  switch (kind) {
    case compile::BufferKind::Input: return "input";
    case compile::BufferKind::Psum: return "psum";
    case compile::BufferKind::Activation: break;
  }
  return "activation";
}

}  // namespace

std::string sim_config_json(const compile::Program& program, const quant::QuantizedGraph& graph,
                            const DesignContext& context, const std::string& hash) {
  const MemoryMap map = memory_map(program);
  Json config;
  config["schema"] = "pimhls-sim-config";
  config["version"] = 1;
  config["generated_by"] = "pimhls " + pimhls_version();
  config["inputs_hash"] = hash;
  config["program_hash"] = fmt::format("{:016x}", program.hash());
  config["network"] = program.network;
  config["top"] = "pimhls_top";
  config["clock_ghz"] = context.clock_ghz;
  config["estimate_cycles"] = context.estimate_cycles;
  config["cycle_limit"] = cycle_limit(program, context.estimate_cycles);
  config["offchip_image"] = compile::kOffchipImage;
  config["offchip_words"] = program.offchip.size();
  config["offchip_bits_per_cycle"] = program.offchip_bits_per_cycle;
  config["quantization"] = {{"model", context.recipe.model},
                            {"hardware_library", context.recipe.hardware_library},
                            {"calibration_count", context.recipe.calibration_count},
                            {"calibration_seed", context.recipe.calibration_seed},
                            {"input_shapes", context.recipe.input_shapes}};
  Json inputs = Json::array();
  for (std::size_t i = 0; i < program.input_buffers.size(); ++i) {
    const ir::ValueId value = graph.graph.inputs.at(i);
    const quant::QuantParams& q = graph.values.at(static_cast<std::size_t>(value));
    inputs.push_back({{"name", graph.graph.value(value).name},
                      {"buffer", program.input_buffers[i]},
                      {"scale", q.scale},
                      {"bits", q.bits},
                      {"signed", q.is_signed}});
  }
  config["inputs"] = inputs;
  Json outputs = Json::array();
  for (const compile::OutputInfo& output : program.outputs)
    outputs.push_back({{"name", graph.graph.value(output.value).name},
                       {"buffer", output.buffer},
                       {"host_op", output.host_op}});
  config["outputs"] = outputs;
  Json buffers = Json::array();
  for (const compile::Buffer& buffer : program.buffers)
    buffers.push_back({{"id", buffer.id},
                       {"tensor", buffer.tensor},
                       {"kind", kind_name(buffer.kind)},
                       {"base", map.base[static_cast<std::size_t>(buffer.id)]},
                       {"channels", buffer.channels},
                       {"height", buffer.height},
                       {"width", buffer.width},
                       {"bits", buffer.bits},
                       {"signed", buffer.is_signed}});
  config["buffers"] = buffers;
  return config.dump(2) + "\n";
}

}  // namespace pimhls::emit
