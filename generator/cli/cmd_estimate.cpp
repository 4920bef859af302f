// pimhls estimate: homogeneous PIM designs that keep all weights on chip (the paper's baselines).
#include <fmt/core.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/input_shapes.h"
#include "cost/estimate.h"
#include "cost/layer_shape.h"
#include "hw/library.h"
#include "util/error.h"
#include "util/text.h"

namespace pimhls::cli {
namespace {

struct EstimateOptions {
  std::string model;
  std::vector<std::string> input_shapes;  // --input-shape
  std::string hw_file;
  std::string tech;
  int array_size = 0;
  int adcs = 0;
  bool json = false;
};

struct Layers {
  std::vector<std::string> names;
  std::vector<std::string> ops;
  std::vector<cost::LayerShape> shapes;
};

Layers weight_layers(const ir::Graph& graph) {
  Layers layers;
  layers.shapes = cost::layer_shapes(graph);
  for (int index : graph.weight_layers()) {
    const ir::Node& node = graph.nodes[static_cast<std::size_t>(index)];
    layers.names.push_back(node.name);
    std::string op = ir::op_name(node.op);
    if (node.window.group > 1)
      op += node.window.group == node.weight.shape[0] ? "(dw)" : "(grouped)";
    layers.ops.push_back(op);
  }
  return layers;
}

// The configuration of one tile type, with --array/--adcs checked against what it may build.
cost::TileConfig chosen_config(const hw::Library& library, int type,
                               const EstimateOptions& options) {
  const hw::TileType& tile = library.tile_types[static_cast<std::size_t>(type)];
  cost::TileConfig config = cost::baseline_config(library, type);
  const auto listed = [](const std::vector<int>& values, int value) {
    return std::find(values.begin(), values.end(), value) != values.end();
  };
  const auto list = [](const std::vector<int>& values) {
    std::vector<std::string> items;
    for (int value : values) items.push_back(std::to_string(value));
    return join(items);
  };
  if (options.array_size) {
    if (!listed(tile.array_sizes, options.array_size))
      fail("--array {}: tile type '{}' builds arrays of {} only", options.array_size, tile.name,
           list(tile.array_sizes));
    config.array_rows = config.array_cols = options.array_size;
  }
  if (options.adcs) {
    if (!listed(tile.adcs_per_array, options.adcs))
      fail("--adcs {}: tile type '{}' allows {} readout units per array", options.adcs, tile.name,
           list(tile.adcs_per_array));
    config.adcs_per_array = options.adcs;
  }
  if (config.adcs_per_array > config.array_cols)
    fail("--adcs {}: more readout units than the {} columns of a {}x{} array",
         config.adcs_per_array, config.array_cols, config.array_rows, config.array_cols);
  return config;
}

double mbit(std::int64_t bits) { return static_cast<double>(bits) * 1e-6; }
double mm2(double um2) { return um2 * 1e-6; }
double uj(double pj) { return pj * 1e-6; }

// The summary's area groups: arrays, ADC, DAC, digital, buffers, NoC.
struct AreaGroups {
  double arrays_um2, adc_um2, dac_um2, digital_um2, buffers_um2, noc_um2;
};

AreaGroups area_groups(const cost::DesignEstimate& design) {
  const cost::AreaBreakdown& a = design.tiles_area;
  return {a.cells_um2,
          a.readout_um2,
          a.dac_um2 + a.drivers_um2,
          a.shift_add_um2 + a.accumulator_um2 + design.fixed_area.controller_um2,
          a.buffers_um2 + design.fixed_area.global_buffer_um2,
          a.router_um2};
}

void print_design(const hw::Library& library, const Layers& layers,
                  const cost::DesignEstimate& design) {
  const hw::TileType& tile = library.tile_types[static_cast<std::size_t>(design.config.tile_type)];
  fmt::print("\n== {}: {} ==\n", cost::describe(library, design.config), tile.description);
  std::size_t name_width = 5, op_width = 2;
  for (std::size_t i = 0; i < layers.names.size(); ++i) {
    name_width = std::max(name_width, layers.names[i].size());
    op_width = std::max(op_width, layers.ops[i].size());
  }
  fmt::print("{:<{}}  {:<{}}  {:<5}  {:>8}  {:>8}  {:>7}  {:>6}  {:>5}  {:>13}  {:>10}\n", "layer",
             name_width, "op", op_width, "tech", "Mb", "cum Mb", "arrays", "tiles", "util",
             "cycles", "energy uJ");
  std::int64_t cumulative_bits = 0, arrays = 0;
  for (std::size_t i = 0; i < design.layers.size(); ++i) {
    const cost::LayerCost& layer = design.layers[i];
    cumulative_bits += layer.weight_bits;
    arrays += layer.mapping.arrays;
    fmt::print(
        "{:<{}}  {:<{}}  {:<5}  {:>8.3f}  {:>8.3f}  {:>7}  {:>6}  {:>4.0f}%  {:>13}  {:>10.3f}{}\n",
        layers.names[i], name_width, layers.ops[i], op_width, tile.name, mbit(layer.weight_bits),
        mbit(cumulative_bits), layer.mapping.arrays, layer.mapping.tiles,
        100 * layer.mapping.utilisation, with_thousands(layer.timing.compute_cycles),
        uj(layer.energy.total_pj()), i == design.bottleneck_layer ? "  <- bottleneck" : "");
  }
  fmt::print("{:<{}}  {:<{}}  {:<5}  {:>8.3f}  {:>8}  {:>7}  {:>6}\n", "total", name_width, "",
             op_width, "", mbit(design.weight_bits), "", arrays, design.tiles);

  const AreaGroups g = area_groups(design);
  fmt::print(
      "area         {:.2f} mm2 = arrays {:.2f} + ADC {:.2f} + DAC {:.2f} + digital {:.2f} + "
      "buffers {:.2f} + NoC {:.2f}  ({} tiles of {:.4f} mm2)\n",
      mm2(design.area_um2), mm2(g.arrays_um2), mm2(g.adc_um2), mm2(g.dac_um2), mm2(g.digital_um2),
      mm2(g.buffers_um2), mm2(g.noc_um2), design.tiles,
      mm2(cost::tile_area(library, design.config).total_um2()));
  fmt::print(
      "latency      {} cycles = {:.2f} us at {:g} GHz (pipelined; bottleneck {} alone: {} "
      "cycles)\n",
      with_thousands(design.latency_cycles), design.latency_us, library.chip.clock_ghz,
      layers.names[design.bottleneck_layer],
      with_thousands(design.layers[design.bottleneck_layer].timing.compute_cycles));
  const cost::Energy& e = design.dynamic_energy;
  fmt::print(
      "energy       {:.3f} uJ = ADC {:.3f} + DAC {:.3f} + array {:.3f} + shift-add {:.3f} + "
      "accumulate {:.3f} + buffers {:.3f} + NoC {:.3f} + leakage {:.3f}\n",
      uj(design.energy_pj), uj(e.readout_pj), uj(e.dac_pj), uj(e.array_pj), uj(e.shift_add_pj),
      uj(e.accumulator_pj), uj(e.buffer_pj), uj(e.noc_pj), uj(design.leakage_energy_pj));
  fmt::print("throughput   {:.3f} TOPS, {:.3f} TOPS/W, {:.1f} FPS ({:.3f} GMAC per inference{})\n",
             design.tops, design.tops_per_watt, design.frames_per_second,
             static_cast<double>(design.macs) / static_cast<double>(design.samples) * 1e-9,
             design.samples > 1 ? fmt::format("; a run infers a batch of {}", design.samples) : "");
  fmt::print("weight load  {} cycles = {:.2f} us, {:.3f} uJ (once, before the first inference)\n",
             with_thousands(design.load_cycles),
             static_cast<double>(design.load_cycles) / library.chip.clock_ghz * 1e-3,
             uj(design.load_energy_pj));
}

nlohmann::ordered_json design_json(const hw::Library& library, const Layers& layers,
                                   const cost::DesignEstimate& design) {
  const hw::TileType& tile = library.tile_types[static_cast<std::size_t>(design.config.tile_type)];
  nlohmann::ordered_json out;
  out["tech"] = tile.name;
  out["description"] = tile.description;
  out["array_rows"] = design.config.array_rows;
  out["array_cols"] = design.config.array_cols;
  out["adcs_per_array"] = design.config.adcs_per_array;
  out["arrays_per_tile"] = tile.arrays_per_tile;
  auto& rows = out["layers"] = nlohmann::ordered_json::array();
  std::int64_t cumulative_bits = 0;
  for (std::size_t i = 0; i < design.layers.size(); ++i) {
    const cost::LayerCost& layer = design.layers[i];
    cumulative_bits += layer.weight_bits;
    nlohmann::ordered_json row;
    row["name"] = layers.names[i];
    row["op"] = layers.ops[i];
    row["tech"] = tile.name;
    row["weight_bits"] = layer.weight_bits;
    row["cumulative_weight_bits"] = cumulative_bits;
    row["arrays"] = layer.mapping.arrays;
    row["tiles"] = layer.mapping.tiles;
    row["row_blocks"] = layer.mapping.row_blocks;
    row["col_blocks"] = layer.mapping.col_blocks;
    row["utilisation"] = layer.mapping.utilisation;
    row["interval_cycles"] = layer.timing.interval_cycles;
    row["compute_cycles"] = layer.timing.compute_cycles;
    row["energy_pj"] = layer.energy.total_pj();
    row["area_um2"] = layer.area.total_um2();
    row["reload_cycles"] = layer.reload.cycles;
    rows.push_back(row);
  }
  const AreaGroups g = area_groups(design);
  out["tiles"] = design.tiles;
  out["area_mm2"] = {{"arrays", mm2(g.arrays_um2)},   {"adc", mm2(g.adc_um2)},
                     {"dac", mm2(g.dac_um2)},         {"digital", mm2(g.digital_um2)},
                     {"buffers", mm2(g.buffers_um2)}, {"noc", mm2(g.noc_um2)},
                     {"total", mm2(design.area_um2)}};
  out["latency"] = {{"cycles", design.latency_cycles},
                    {"us", design.latency_us},
                    {"bottleneck", layers.names[design.bottleneck_layer]}};
  const cost::Energy& e = design.dynamic_energy;
  out["energy_uj"] = {{"adc", uj(e.readout_pj)},
                      {"dac", uj(e.dac_pj)},
                      {"array", uj(e.array_pj)},
                      {"shift_add", uj(e.shift_add_pj)},
                      {"accumulator", uj(e.accumulator_pj)},
                      {"buffer", uj(e.buffer_pj)},
                      {"noc", uj(e.noc_pj)},
                      {"leakage", uj(design.leakage_energy_pj)},
                      {"total", uj(design.energy_pj)}};
  out["macs"] = design.macs;
  out["tops"] = design.tops;
  out["tops_per_watt"] = design.tops_per_watt;
  out["samples"] = design.samples;
  out["fps"] = design.frames_per_second;
  out["weight_load"] = {{"cycles", design.load_cycles}, {"energy_uj", uj(design.load_energy_pj)}};
  return out;
}

void estimate(const EstimateOptions& options) {
  const hw::Library library =
      options.hw_file.empty() ? hw::builtin_library() : hw::load_library(options.hw_file);
  std::vector<int> types;
  if (!options.tech.empty())
    types.push_back(library.tile_type_index(options.tech));
  else
    for (std::size_t i = 0; i < library.tile_types.size(); ++i)
      types.push_back(static_cast<int>(i));
  std::vector<cost::TileConfig> configs;
  for (int type : types) configs.push_back(chosen_config(library, type, options));

  const ir::Graph graph = import_model_file(options.model, options.input_shapes);
  const Layers layers = weight_layers(graph);
  if (layers.shapes.empty())
    fail("{}: no Conv or Gemm layer to map onto PIM arrays", options.model);
  const cost::StreamGraph streams = cost::stream_graph(graph);
  std::vector<cost::DesignEstimate> designs;
  for (const cost::TileConfig& config : configs)
    designs.push_back(cost::estimate_homogeneous(layers.shapes, layers.names, library, config,
                                                 &streams, graph.batch_size()));

  if (options.json) {
    nlohmann::ordered_json out;
    out["model"] = options.model;
    out["library"] = library.source;
    out["clock_ghz"] = library.chip.clock_ghz;
    out["weight_layers"] = layers.shapes.size();
    auto& list = out["designs"] = nlohmann::ordered_json::array();
    for (const cost::DesignEstimate& design : designs)
      list.push_back(design_json(library, layers, design));
    fmt::print("{}\n", out.dump(2));
    return;
  }
  fmt::print("{}: {} weight layers, {:.3f} Mb of weights at {} bits; library {}\n", options.model,
             layers.shapes.size(), mbit(designs.front().weight_bits),
             library.arithmetic.weight_bits, library.source);
  fmt::print(
      "homogeneous designs, all weights on chip, the whole network one pipelined layer "
      "group (docs/cost-model.md)\n");
  for (const cost::DesignEstimate& design : designs) print_design(library, layers, design);
  if (designs.size() > 1) {
    fmt::print("\n{:<34}  {:>9}  {:>12}  {:>11}  {:>8}  {:>8}  {:>9}\n", "design", "area mm2",
               "latency us", "energy uJ", "TOPS", "TOPS/W", "FPS");
    for (const cost::DesignEstimate& design : designs)
      fmt::print("{:<34}  {:>9.2f}  {:>12.2f}  {:>11.3f}  {:>8.3f}  {:>8.3f}  {:>9.1f}\n",
                 cost::describe(library, design.config), mm2(design.area_um2), design.latency_us,
                 uj(design.energy_pj), design.tops, design.tops_per_watt, design.frames_per_second);
  }
}

}  // namespace

void add_estimate_command(CLI::App& app) {
  auto options = std::make_shared<EstimateOptions>();
  CLI::App* command = app.add_subcommand(
      "estimate",
      "Estimate homogeneous PIM designs that keep all weights on chip (the PIM-HLS paper's "
      "baselines): every Conv/Gemm layer on its own tiles of one configuration, no duplication, "
      "the whole network one pipelined layer group. Prints, per tile type (or the one given by "
      "--tech), one row per layer (weights in Mb and cumulative, arrays, tiles, utilisation, "
      "cycles, energy), the area breakdown (arrays, ADC, DAC, digital, buffers, NoC), latency, "
      "energy, TOPS, TOPS/W and FPS. The configuration is the tile type's baseline from the "
      "library unless --array/--adcs choose another of its candidates. The model is "
      "docs/cost-model.md.");
  command->add_option("model", options->model, "ONNX model file")->required();
  add_input_shape_option(*command, options->input_shapes);
  command->add_option("--hw", options->hw_file,
                      "hardware library TOML laid over the built-in one (see `pimhls hw --help`)");
  command->add_option("--tech", options->tech,
                      "tile type (PIM technology) of the library, e.g. rram or sram; default: "
                      "every tile type");
  command->add_option("--array", options->array_size, "array size (rows = columns)");
  command->add_option("--adcs", options->adcs, "readout units (ADCs) per array");
  command->add_flag("--json", options->json, "print the estimates as JSON");
  command->callback([options] { estimate(*options); });
}

}  // namespace pimhls::cli
