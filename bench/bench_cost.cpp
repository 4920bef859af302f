// Benchmark of the cost model: every weight layer of ResNet-50 on every tile configuration of
// the built-in library (the optimizer's inner loop). Target: a full sweep under 50 ms.
// Usage: bench_cost [OUTPUT]   (prints the report; also writes it to OUTPUT when given)
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "cost/layer_cost.h"
#include "cost/tile_config.h"
#include "hw/library.h"
#include "util/files.h"

using namespace pimhls;

namespace {

cost::LayerShape conv(std::int64_t cin, std::int64_t kernel, std::int64_t cout, std::int64_t side) {
  cost::LayerShape shape;
  shape.in_channels = cin;
  shape.kernel_area = kernel * kernel;
  shape.out_channels = cout;
  shape.vectors = side * side;
  shape.lead_vectors = side + 2;
  return shape;
}

// torchvision ResNet-50 (v1.5: the stride sits on the 3x3 conv): 54 weight layers.
std::vector<cost::LayerShape> resnet50() {
  std::vector<cost::LayerShape> layers{conv(3, 7, 64, 112)};
  std::int64_t in = 64;
  const auto stage = [&](std::int64_t width, std::int64_t blocks, std::int64_t side) {
    const std::int64_t out = 4 * width;
    for (std::int64_t block = 0; block < blocks; ++block) {
      layers.push_back(conv(in, 1, width, block == 0 && side != 56 ? 2 * side : side));
      layers.push_back(conv(width, 3, width, side));
      layers.push_back(conv(width, 1, out, side));
      if (block == 0) layers.push_back(conv(in, 1, out, side));  // downsample
      in = out;
    }
  };
  stage(64, 3, 56);
  stage(128, 4, 28);
  stage(256, 6, 14);
  stage(512, 3, 7);
  cost::LayerShape fc;
  fc.in_channels = 2048;
  fc.out_channels = 1000;
  fc.vectors = 1;
  fc.lead_vectors = 1;
  layers.push_back(fc);
  return layers;
}

}  // namespace

int main(int argc, char** argv) {
  const hw::Library& library = hw::builtin_library();
  const std::vector<cost::LayerShape> layers = resnet50();
  const std::vector<cost::TileConfig> configs = cost::tile_configs(library);
  std::int64_t weights = 0;
  for (const cost::LayerShape& layer : layers) weights += layer.weights();

  // One sweep = every layer on every configuration; keep a checksum so nothing is optimized away.
  const auto sweep = [&] {
    std::int64_t checksum = 0;
    for (const cost::LayerShape& layer : layers)
      for (const cost::TileConfig& config : configs) {
        const cost::LayerCost c = cost::evaluate_layer(layer, library, config, 1);
        checksum += c.timing.compute_cycles + c.mapping.tiles;
      }
    return checksum;
  };
  using clock = std::chrono::steady_clock;
  std::int64_t checksum = sweep();  // warm-up
  const int repetitions = 200;
  std::vector<double> sweep_ms;
  for (int i = 0; i < repetitions; ++i) {
    const auto start = clock::now();
    checksum += sweep();
    sweep_ms.push_back(std::chrono::duration<double, std::milli>(clock::now() - start).count());
  }
  std::sort(sweep_ms.begin(), sweep_ms.end());
  const double median_ms = sweep_ms[sweep_ms.size() / 2];
  const double evaluations = static_cast<double>(layers.size() * configs.size());

  const std::string report = fmt::format(
      "bench_cost: ResNet-50 ({} weight layers, {} weights) x {} tile configurations of the "
      "built-in library\n"
      "evaluations per sweep  {:.0f}\n"
      "sweep time             median {:.3f} ms, best {:.3f} ms, worst {:.3f} ms ({} sweeps)\n"
      "per evaluation         {:.1f} ns ({:.2f} M evaluations/s)\n"
      "target                 < 50 ms per sweep: {}\n"
      "checksum               {}\n",
      layers.size(), weights, configs.size(), evaluations, median_ms, sweep_ms.front(),
      sweep_ms.back(), repetitions, median_ms * 1e6 / evaluations, evaluations / (median_ms * 1e3),
      median_ms < 50 ? "met" : "MISSED", checksum);
  fmt::print("{}", report);
  if (argc > 1) write_file_atomic(argv[1], report);
  return median_ms < 50 ? 0 : 1;
}
