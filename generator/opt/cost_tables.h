#pragma once
// The Problem of a real network: layers from the IR, technologies and tile options from the
// hardware library, every cost from cost::evaluate_layer (one copy; duplication is applied by
// the search with the same timing equations, see opt/unit_cost.h).
#include <string>
#include <vector>

#include "hw/library.h"
#include "ir/graph.h"
#include "opt/problem.h"

namespace pimhls::opt {

// `technologies`: tile type names of the library (empty: all of them, in library order).
// Throws Error for an unknown or repeated name.
Problem make_problem(const ir::Graph& graph, const hw::Library& library,
                     const std::vector<std::string>& technologies);

// The same for a network given by its layer shapes (opt/network_shapes.h).
Problem make_problem(Network network, const hw::Library& library,
                     const std::vector<std::string>& technologies);

}  // namespace pimhls::opt
