#include "opt/problem.h"

namespace pimhls::opt {

void tabulate_layer_costs(Problem& problem) {
  problem.layer_costs.assign(problem.network.layers.size(), {});
  for (std::size_t layer = 0; layer < problem.network.layers.size(); ++layer)
    for (std::size_t option = 0; option < problem.options.size(); ++option)
      problem.layer_costs[layer].push_back(
          problem.unit_cost(problem.network.layers[layer].shape, static_cast<int>(option)));
}

}  // namespace pimhls::opt
