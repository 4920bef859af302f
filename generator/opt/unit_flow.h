#pragma once
// The data flow of a unit plan, for the pipelined timing of its layer groups
// (cost/stream_timing.h): the weight units and the vector nodes of the network in topological
// order, each with the items it reads. A layer's row pieces chain their partial sums; its
// readers wait for every column piece. A vector node runs in the group of its latest producer
// unit (the first group when it reads only network inputs), as the compiler places it.
#include <cstdint>
#include <utility>
#include <vector>

#include "cost/stream_graph.h"
#include "cost/stream_timing.h"
#include "opt/network.h"
#include "opt/units.h"

namespace pimhls::opt {

struct FlowInput {
  int item = -1;                           // the producing item; -1: a network input
  const cost::StreamEdge* edge = nullptr;  // nullptr: the same pixel (partial sums)
};

struct FlowItem {
  int unit = -1;      // a weight unit, or -1 for a vector node
  int position = -1;  // the unit it runs with (a vector node: its latest producer unit, or -1)
  std::int64_t height = 1, width = 1;
  std::vector<FlowInput> inputs;
};

struct UnitFlow {
  std::vector<FlowItem> items;  // edges point into the network's stream graph
  std::vector<int> unit_item;   // per unit: its item
  // Per position + 1 (0: the items of position -1): the first and last item at that position,
  // so that a group looks at its window of items only ({items, -1} when none).
  std::vector<std::pair<int, int>> position_items;
  cost::TimingMemo* memo = nullptr;  // the stream graph's memo, if any
};

// Empty (no items) when the network has no stream graph (synthetic problems). The flow points
// into the network's streams (and times groups with its memo), which must outlive it.
UnitFlow unit_flow(const Network& network, const std::vector<Unit>& units);

// The timeline of the group of units first..last: `classes[u - first]` are the engines of unit
// u (one class per tile configuration its copies sit on); the vector nodes of the group start
// their first pixel at `vector_ready` at the earliest (their configuration). Fills `unit_times`
// (per unit of the group) when given.
cost::GroupTimeline group_timeline(const UnitFlow& flow, int first, int last,
                                   const std::vector<std::vector<cost::CopyClass>>& classes,
                                   std::int64_t vector_ready,
                                   std::vector<cost::StageTimes>* unit_times = nullptr);
// group_timeline(...).span, for the scheduler (the memo keeps the spans of all groups).
std::int64_t group_span(const UnitFlow& flow, int first, int last,
                        const std::vector<std::vector<cost::CopyClass>>& classes,
                        std::int64_t vector_ready);

}  // namespace pimhls::opt
