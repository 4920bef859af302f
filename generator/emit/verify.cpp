#include "emit/verify.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <random>

#include "emit/verilate.h"
#include "emulate/emulate.h"
#include "quant/analog_reference.h"
#include "quant/design_arrays.h"
#include "quant/int_ops.h"
#include "util/error.h"

namespace pimhls::emit {
namespace {

namespace fs = std::filesystem;

struct Mismatch {
  std::size_t index = 0;
  std::int64_t got = 0, expected = 0;
};

std::optional<Mismatch> first_difference(const std::vector<std::int64_t>& got,
                                         const std::vector<std::int32_t>& expected) {
  if (got.size() != expected.size()) return Mismatch{std::min(got.size(), expected.size()), 0, 0};
  for (std::size_t i = 0; i < got.size(); ++i)
    if (got[i] != expected[i]) return Mismatch{i, got[i], expected[i]};
  return std::nullopt;
}

std::string element(const compile::Buffer& buffer, std::size_t index) {
  const std::int64_t i = static_cast<std::int64_t>(index);
  const std::int64_t plane = buffer.height * buffer.width;
  return fmt::format("channel {}, y {}, x {}", i / plane, i % plane / buffer.width,
                     i % buffer.width);
}

// Which layer differs first: every activation buffer against the analog reference's codes of
// the same value (equal to the emulator's by construction), in buffer order (topological).
std::string first_differing_layer(const RtlDesign& rtl, const std::vector<ir::Tensor>& inputs,
                                  const SimResults& sim) {
  std::map<ir::ValueId, quant::IntTensor> codes;
  const ir::Graph& graph = rtl.graph.graph;
  const quant::ArrayMap arrays =
      quant::parse_design_arrays(rtl.design_json, rtl.design.source, quant::ArrayParams{});
  quant::run_analog(rtl.graph, quant::AnalogConfig{arrays, {}}, inputs,
                    [&](int node, const quant::IntTensor& output) {
                      codes[graph.nodes[static_cast<std::size_t>(node)].output] = output;
                    });
  for (const compile::Buffer& buffer : rtl.program.buffers) {
    if (buffer.kind != compile::BufferKind::Activation) continue;
    const auto found = codes.find(buffer.value);
    const auto simulated = sim.buffers.find(buffer.id);
    if (found == codes.end() || simulated == sim.buffers.end()) continue;
    if (const std::optional<Mismatch> m = first_difference(simulated->second, found->second.data)) {
      const int producer = graph.value(buffer.value).producer;
      return fmt::format(
          "first differing layer: '{}' ({}) writing buffer {} '{}': {}: RTL {}, golden {}",
          producer >= 0 ? graph.nodes[static_cast<std::size_t>(producer)].name : "input",
          producer >= 0 ? ir::op_name(graph.nodes[static_cast<std::size_t>(producer)].op) : "-",
          buffer.id, buffer.tensor, element(buffer, m->index), m->got, m->expected);
    }
  }
  return "every activation buffer equals the analog reference (the difference is in an output "
         "or partial-sum buffer)";
}

double percent(std::int64_t value, std::int64_t reference) {
  return reference == 0
             ? 0.0
             : 100.0 * static_cast<double>(value - reference) / static_cast<double>(reference);
}

}  // namespace

std::vector<ir::Tensor> random_inputs(const ir::Graph& graph, unsigned seed) {
  std::vector<ir::Tensor> inputs;
  for (std::size_t i = 0; i < graph.inputs.size(); ++i) {
    const ir::Dims& shape = graph.value(graph.inputs[i]).shape;
    std::mt19937 generator(seed + static_cast<unsigned>(i));
    std::normal_distribution<float> normal(0.0f, 1.0f);
    ir::Tensor tensor{shape,
                      std::vector<float>(static_cast<std::size_t>(ir::element_count(shape)))};
    for (float& value : tensor.data) value = normal(generator);
    inputs.push_back(std::move(tensor));
  }
  return inputs;
}

bool small_enough_to_verify(const RtlDesign& rtl) {
  std::int64_t tiles = 0;
  for (const compile::TileSetInfo& set : rtl.design.tile_sets) tiles += set.tiles;
  return rtl.design.latency_cycles <= kVerifyMaxCycles && tiles <= kVerifyMaxTiles;
}

VerifyResult verify_rtl(const fs::path& out_dir, const RtlDesign& rtl,
                        const std::vector<ir::Tensor>& inputs) {
  const compile::Program& program = rtl.program;
  const ir::Graph& graph = rtl.graph.graph;
  if (inputs.size() != program.input_buffers.size())
    fail("{}: the design has {} input(s), {} given", out_dir.string(), program.input_buffers.size(),
         inputs.size());
  std::vector<quant::IntTensor> codes;
  InputCodes input_codes;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const quant::QuantParams& q = rtl.graph.values.at(static_cast<std::size_t>(graph.inputs[i]));
    codes.push_back(quant::quantize_tensor(inputs[i], q));
    input_codes[program.input_buffers[i]] =
        std::vector<std::int64_t>(codes.back().data.begin(), codes.back().data.end());
  }

  VerifyResult result;
  std::string& report = result.report;
  const VerilatedModel model = verilate(out_dir);
  report += model.cached
                ? "verilator: cached model\n"
                : fmt::format("verilator: built the model in {:.1f} s\n", model.build_seconds);
  const auto sim_start = std::chrono::steady_clock::now();
  const SimResults sim = run_model(model, out_dir, input_codes);
  const double sim_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - sim_start).count();
  report += fmt::format("verilator: simulated {} cycles in {:.1f} s ({:.0f} cycles/s)\n",
                        sim.total_cycles, sim_seconds,
                        static_cast<double>(sim.total_cycles) / std::max(sim_seconds, 1e-6));
  const emulate::Result golden = emulate::run(program, codes);
  result.simulated_cycles = sim.measured_cycles;
  result.emulated_cycles = golden.cycles;
  result.estimate_cycles = program.comparable_estimate();

  std::vector<std::string> failures;
  if (!sim.finished)
    failures.push_back(fmt::format("no `done` within {} cycles", sim.total_cycles));
  if (sim.error) failures.push_back("a controller met an undefined instruction");
  // Timing deviations the RTL flags; they fail the check only through the cycle comparison
  // below (an initial load before MARK is not measured).
  if (sim.reload_overrun) report += "note: a RELOAD outlasted the ISA's cycles (reload_overrun)\n";
  if (sim.late) report += "note: an engine wrote a pixel after its ISA cycle (late)\n";
  std::int64_t compared = 0;
  for (std::size_t k = 0; k < program.outputs.size() && sim.finished; ++k) {
    const compile::Buffer& buffer =
        program.buffers.at(static_cast<std::size_t>(program.outputs[k].buffer));
    const auto simulated = sim.buffers.find(buffer.id);
    if (simulated == sim.buffers.end()) {
      failures.push_back(fmt::format("buffer {} missing from the simulation results", buffer.id));
      continue;
    }
    compared += static_cast<std::int64_t>(simulated->second.size());
    if (const auto m = first_difference(simulated->second, golden.buffers_out.at(k).data)) {
      failures.push_back(fmt::format("output '{}' (buffer {}) differs at {}: RTL {}, golden {}",
                                     buffer.tensor, buffer.id, element(buffer, m->index), m->got,
                                     m->expected));
      failures.push_back(first_differing_layer(rtl, inputs, sim));
    }
  }
  if (sim.finished && sim.measured_cycles != golden.cycles)
    failures.push_back(fmt::format("simulated cycles {} != the emulator's {}", sim.measured_cycles,
                                   golden.cycles));

  const std::int64_t estimate = result.estimate_cycles;
  report += fmt::format(
      "cycles: simulated {}, emulator {}, estimate {} (design.json latency_cycles{}; {:+.2f}%)\n",
      sim.measured_cycles, golden.cycles, estimate,
      program.design_spill_cycles == 0
          ? std::string()
          : fmt::format(" {} less {} cycles of activation spills, which the RTL's buffers do "
                        "not need",
                        program.design_latency_cycles, program.design_spill_cycles),
      percent(sim.measured_cycles, estimate));
  if (std::abs(percent(sim.measured_cycles, estimate)) > 2.0) {
    report += "note: more than 2% from the estimate; per group (emulator, from MARK):\n";
    for (std::size_t g = 0; g < golden.groups.size(); ++g) {
      const emulate::GroupCycles& group = golden.groups[g];
      const compile::GroupPlan* plan = g < program.groups.size() ? &program.groups[g] : nullptr;
      report += fmt::format("  group {}: reload {} (design {}), compute {} (design {})\n",
                            group.group, group.reload_cycles, plan ? plan->design_reload_cycles : 0,
                            group.end - group.start, plan ? plan->design_compute_cycles : 0);
    }
  }
  result.pass = failures.empty();
  for (const std::string& failure : failures) report += "  " + failure + "\n";
  report += result.pass ? fmt::format(
                              "PASS: {} output code(s) equal the golden emulator, bit "
                              "for bit\n",
                              compared)
                        : "FAIL\n";
  return result;
}

}  // namespace pimhls::emit
