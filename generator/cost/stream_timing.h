#pragma once
// The pipelined timing of one layer group (PIM-HLS section IV-C: "the layers of one layer group
// are executed in a pipeline"), vector by vector. Every weight unit and every vector node of the
// group streams its output pixels in raster order and starts a pixel as soon as the input pixels
// it reads are out (cost/stream_graph.h), so a unit that waits for its producer's rows, copies
// that idle between bursts of inputs, and parallel branches are all counted. These are the
// rules the accelerator follows (docs/isa.md, "RUN"); docs/cost-model.md, "Layer groups".
//
// Times are cycles after the group's START; engines start their first vector at kRunStart.
#include <algorithm>
#include <cstdint>
#include <mutex>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cost/stream_graph.h"

namespace pimhls::cost {

inline constexpr std::int64_t kRunStart = 2;  // START, then each engine's SYNC and RUN issue
// The global controller's issue cycles around the groups (docs/isa.md, "Global controller"):
// three SETs before each RELOAD, one MARK per inference.
inline constexpr std::int64_t kReloadControlCycles = 3;
inline constexpr std::int64_t kInferenceControlCycles = 1;

// A weight engine's section before its SYNC (compile/weight_unit.cpp): its SETs, then NOPs
// while the copy table, read one word per cycle from the second SET on, is still filling.
inline constexpr std::int64_t kWeightConfigSets = 48;
inline std::int64_t weight_config_cycles(std::int64_t copies) {
  return kWeightConfigSets + std::max<std::int64_t>(0, copies - (kWeightConfigSets - 1));
}
// A vector engine's section before its SYNC (compile/vector_node.cpp): its SETs (29 for a pool
// with pads, fewer for other operations), padded with NOPs to this length.
inline constexpr std::int64_t kVectorConfigCycles = 29;

// When an engine that starts configuring `lead` cycles before the group's START can start its
// first vector (its SYNC leaves the cycle after both; the RUN issues then). A short reload
// leaves the weight engines' 48 SETs exposed.
inline std::int64_t run_ready_cycle(std::int64_t config_cycles, std::int64_t lead) {
  return std::max(kRunStart, config_cycles - lead + kRunStart);
}
inline constexpr std::int64_t kFirstGroupLeadCycles = kReloadControlCycles + 1;
// run_ready_cycle of a weight engine running `copies` copies.
inline std::int64_t engine_ready_cycle(std::int64_t copies, std::int64_t lead) {
  return run_ready_cycle(weight_config_cycles(copies), lead);
}
// The lead of a group's engines: in the first group every engine configures from reset while
// the global controller issues MARK, 3 SETs and the reload; in a later group an engine starts
// at its DONE of the group before, at the latest when that group's barrier ends, which is
// when the 3 SETs and the reload begin. Where the engine finished earlier the lead is longer;
// the schedule counts the latest case (it does not know which tile set ran what).
inline std::int64_t config_lead_cycles(bool first_group, std::int64_t load_cycles) {
  return (first_group ? kFirstGroupLeadCycles : kReloadControlCycles) + load_cycles;
}

// Vectors v with lo <= v mod period < hi (a counter that wraps at period, no division).
struct VectorSlots {
  std::int64_t period = 1, lo = 0, hi = 1;
};

// Copies of one unit on one tile configuration (one engine): a copy starts a vector every
// interval cycles; a vector's output is out depth cycles after its start. The class serves the
// vectors of its slots, dealt to its copies in turn, from cycle `ready` on.
struct CopyClass {
  std::int64_t copies = 1;
  std::int64_t interval = 1;
  std::int64_t depth = 1;
  VectorSlots slots;
  std::int64_t ready = kRunStart;
};

struct StageInput {
  int stage = -1;                    // the producing stage of this group; -1: ready at START
  const StreamEdge* edge = nullptr;  // nullptr: the same pixel (a row piece's partial sums)
};

// A stage views its classes and inputs (the caller owns them: the search times thousands of
// groups and should not allocate for each).
struct Stage {
  std::int64_t height = 1, width = 1;  // output pixels
  std::span<const CopyClass> classes;  // empty: a vector engine, one pixel per cycle, in order
  std::span<const StageInput> inputs;
  std::int64_t ready = kRunStart;  // a vector engine: its first pixel's earliest cycle
};

struct StageTimes {
  std::int64_t first_start = 0;  // the first vector's start
  std::int64_t done = 0;         // the last output is out (at least kRunStart)
  std::size_t first_class = 0;   // a weight unit: its classes' GroupTimeline::class_done
};

struct GroupTimeline {
  std::vector<StageTimes> stages;
  // Per class of every weight unit, in stage order: its last output is out, or its ready cycle
  // when it serves no vector (the engine's DONE, where its next section starts).
  std::vector<std::int64_t> class_done;
  std::int64_t span = 0;  // START to the end of the group's barrier
};

// `stages` in topological order (inputs name earlier stages).
GroupTimeline stream_timing(std::span<const Stage> stages);

// stream_timing with a memory: the search times the same group (same stages, engines and edges)
// for many candidates, allocations, designs and tunings. A group is known by a 128-bit
// fingerprint of its stages (edges by address, so a memo serves one stream graph; a copy starts
// empty): the scheduler's spans are kept for every group that costs more to time than to look
// up (a few words each), whole timelines only for groups whose timing costs much more than
// their fingerprint. Thread-safe.
class TimingMemo {
 public:
  TimingMemo() = default;
  TimingMemo(const TimingMemo&) {}
  TimingMemo& operator=(const TimingMemo&);
  GroupTimeline timing(std::span<const Stage> stages);
  std::int64_t span(std::span<const Stage> stages);  // stream_timing(stages).span
  std::size_t size() const;                          // timelines kept
  std::size_t spans() const;                         // spans kept

 private:
  struct Fingerprint {
    std::uint64_t low = 0, high = 0;
    bool operator==(const Fingerprint&) const = default;
  };
  struct FingerprintHash {
    std::size_t operator()(const Fingerprint& key) const { return key.low; }
  };
  static Fingerprint fingerprint(std::span<const Stage> stages);
  mutable std::mutex mutex_;
  std::unordered_map<Fingerprint, GroupTimeline, FingerprintHash> timelines_;
  std::unordered_map<Fingerprint, std::int64_t, FingerprintHash> spans_;
};

// How copies on several configurations share a unit's vectors: slots in proportion to each
// class's throughput (copies / interval), over the period (up to 64) that finishes first.
std::vector<VectorSlots> vector_slots(
    std::int64_t vectors,
    const std::vector<std::pair<std::int64_t, std::int64_t>>& copies_and_interval);

}  // namespace pimhls::cost
