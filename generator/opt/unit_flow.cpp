#include "opt/unit_flow.h"

#include <algorithm>

namespace pimhls::opt {

UnitFlow unit_flow(const Network& network, const std::vector<Unit>& units) {
  const cost::StreamGraph& streams = network.streams;
  UnitFlow flow;
  if (streams.nodes.empty()) return flow;
  flow.memo = &network.timings;
  flow.unit_item.assign(units.size(), -1);
  std::vector<std::vector<int>> layer_units(streams.layer_node.size());
  for (std::size_t u = 0; u < units.size(); ++u)
    layer_units.at(static_cast<std::size_t>(units[u].layer)).push_back(static_cast<int>(u));
  std::vector<std::vector<int>> outputs_of(streams.nodes.size());  // what a reader waits for
  for (std::size_t n = 0; n < streams.nodes.size(); ++n) {
    const cost::StreamNode& node = streams.nodes[n];
    const auto make_item = [&](int unit) {
      FlowItem item;
      item.unit = unit;
      item.position = unit;
      item.height = node.height;
      item.width = node.width;
      for (const cost::StreamEdge& edge : node.inputs) {
        if (edge.producer < 0) continue;  // network inputs are in memory before the inference
        for (int producer : outputs_of[static_cast<std::size_t>(edge.producer)]) {
          item.inputs.push_back({producer, &edge});
          if (unit < 0)
            item.position =
                std::max(item.position, flow.items[static_cast<std::size_t>(producer)].position);
        }
      }
      return item;
    };
    const int first_item = static_cast<int>(flow.items.size());
    if (node.layer < 0) {
      flow.items.push_back(make_item(-1));
      outputs_of[n].push_back(first_item);
      continue;
    }
    for (int u : layer_units.at(static_cast<std::size_t>(node.layer))) {
      FlowItem item = make_item(u);
      const Unit& unit = units[static_cast<std::size_t>(u)];
      if (unit.row_piece > 0)  // the previous row piece's partial sums of the same pixel
        item.inputs.push_back({flow.unit_item[static_cast<std::size_t>(u - 1)], nullptr});
      flow.unit_item[static_cast<std::size_t>(u)] = static_cast<int>(flow.items.size());
      if (unit.row_piece == unit.row_pieces - 1)
        outputs_of[n].push_back(static_cast<int>(flow.items.size()));
      flow.items.push_back(std::move(item));
    }
  }
  const int items = static_cast<int>(flow.items.size());
  flow.position_items.assign(units.size() + 1, {items, -1});
  for (int i = 0; i < items; ++i) {
    auto& [lo, hi] = flow.position_items[static_cast<std::size_t>(
        flow.items[static_cast<std::size_t>(i)].position + 1)];
    lo = std::min(lo, i);
    hi = std::max(hi, i);
  }
  return flow;
}

namespace {

// The stages of the group of units first..last (views into thread-local scratch, valid until
// the next call on this thread), and the unit of each stage (-1: a vector node).
std::span<const cost::Stage> group_stages(const UnitFlow& flow, int first, int last,
                                          const std::vector<std::vector<cost::CopyClass>>& classes,
                                          std::int64_t vector_ready, std::vector<int>& stage_unit) {
  // Scratch reused across calls: the search times every candidate group.
  thread_local std::vector<cost::Stage> stages;
  thread_local std::vector<cost::StageInput> inputs;
  thread_local std::vector<std::size_t> input_end;  // per stage: its inputs end here
  thread_local std::vector<int> stage_of;
  stages.clear();
  inputs.clear();
  input_end.clear();
  stage_unit.clear();
  // The group's items lie between the first and the last item of its positions.
  int lo = static_cast<int>(flow.items.size()), hi = -1;
  for (int position = first == 0 ? -1 : first; position <= last; ++position) {
    const auto [first_item, last_item] =
        flow.position_items[static_cast<std::size_t>(position + 1)];
    lo = std::min(lo, first_item);
    hi = std::max(hi, last_item);
  }
  stage_of.resize(flow.items.size());
  for (int i = lo; i <= hi; ++i) stage_of[static_cast<std::size_t>(i)] = -1;
  for (int i = lo; i <= hi; ++i) {
    const FlowItem& item = flow.items[static_cast<std::size_t>(i)];
    const bool in_group =
        item.position < 0 ? first == 0 : item.position >= first && item.position <= last;
    if (!in_group) continue;
    cost::Stage stage;
    stage.height = item.height;
    stage.width = item.width;
    if (item.unit >= 0)
      stage.classes = classes.at(static_cast<std::size_t>(item.unit - first));
    else
      stage.ready = vector_ready;
    for (const FlowInput& input : item.inputs)  // producers before the window are outside
      inputs.push_back(
          {input.item < lo ? -1 : stage_of[static_cast<std::size_t>(input.item)], input.edge});
    input_end.push_back(inputs.size());
    stage_of[static_cast<std::size_t>(i)] = static_cast<int>(stages.size());
    stage_unit.push_back(item.unit);
    stages.push_back(stage);
  }
  for (std::size_t s = 0, begin = 0; s < stages.size(); begin = input_end[s++])
    stages[s].inputs =
        std::span<const cost::StageInput>(inputs).subspan(begin, input_end[s] - begin);
  return stages;
}

}  // namespace

cost::GroupTimeline group_timeline(const UnitFlow& flow, int first, int last,
                                   const std::vector<std::vector<cost::CopyClass>>& classes,
                                   std::int64_t vector_ready,
                                   std::vector<cost::StageTimes>* unit_times) {
  thread_local std::vector<int> stage_unit;
  const std::span<const cost::Stage> stages =
      group_stages(flow, first, last, classes, vector_ready, stage_unit);
  cost::GroupTimeline timeline =
      flow.memo ? flow.memo->timing(stages) : cost::stream_timing(stages);
  if (unit_times) {
    unit_times->assign(static_cast<std::size_t>(last - first + 1), {});
    for (std::size_t s = 0; s < stages.size(); ++s)
      if (stage_unit[s] >= 0)
        (*unit_times)[static_cast<std::size_t>(stage_unit[s] - first)] = timeline.stages[s];
  }
  return timeline;
}

std::int64_t group_span(const UnitFlow& flow, int first, int last,
                        const std::vector<std::vector<cost::CopyClass>>& classes,
                        std::int64_t vector_ready) {
  thread_local std::vector<int> stage_unit;
  const std::span<const cost::Stage> stages =
      group_stages(flow, first, last, classes, vector_ready, stage_unit);
  return flow.memo ? flow.memo->span(stages) : cost::stream_timing(stages).span;
}

}  // namespace pimhls::opt
