// The pipelined group timing, by hand on small groups, and its memo.
#include <catch2/catch.hpp>
#include <vector>

#include "cost/stream_timing.h"

using namespace pimhls::cost;

namespace {

// A weight stage of height x width vectors on the given engines (CopyClass: copies, a vector
// every `interval` cycles per copy, out `depth` cycles after its start).
Stage weight_stage(std::int64_t height, std::int64_t width, const std::vector<CopyClass>& classes) {
  Stage stage;
  stage.height = height;
  stage.width = width;
  stage.classes = classes;
  return stage;
}

// A vector engine of height x width pixels, each reading the same pixel of stage 0.
const std::vector<StageInput> kSamePixelOfStage0 = {{0, nullptr}};
Stage same_pixel_reader(std::int64_t height, std::int64_t width) {
  Stage stage;
  stage.height = height;
  stage.width = width;
  stage.inputs = kSamePixelOfStage0;
  return stage;
}

}  // namespace

TEST_CASE("a vector engine streams one pixel per cycle from the run start") {
  Stage stage;
  stage.height = 2;
  stage.width = 3;
  const std::vector<Stage> stages = {stage};
  const GroupTimeline timeline = stream_timing(stages);
  // Pixels start at cycles 2..7 (kRunStart = 2), the last is out at 8; the barrier at 9.
  CHECK(timeline.stages[0].first_start == 2);
  CHECK(timeline.stages[0].done == 8);
  CHECK(timeline.span == 9);
}

TEST_CASE("a weight unit deals its vectors to its copies in turn") {
  const std::vector<CopyClass> two_copies = {{2, 5, 7, {}}};
  const std::vector<Stage> stages = {weight_stage(1, 4, two_copies)};
  // v0, v1 start at 2 on copies 0, 1 (out 9); v2, v3 at 7 (out 14).
  const GroupTimeline timeline = stream_timing(stages);
  CHECK(timeline.stages[0].first_start == 2);
  CHECK(timeline.stages[0].done == 14);
  CHECK(timeline.span == 15);
}

TEST_CASE("an engine configured late starts its copies at its ready cycle") {
  // Two engines of one unit: vectors alternate (slots of period 2); the second engine's SYNC
  // leaves late, so its copy starts v1 at 20 (out 27) and v3 at 25 (out 32).
  const std::vector<CopyClass> engines = {{1, 5, 7, {2, 0, 1}}, {1, 5, 7, {2, 1, 2}, 20}};
  const std::vector<Stage> stages = {weight_stage(1, 4, engines)};
  const GroupTimeline timeline = stream_timing(stages);
  CHECK(timeline.stages[0].first_start == 2);
  CHECK(timeline.stages[0].done == 32);
  // The first group's weight engines configure from reset: 48 SETs (NOPs too with more than 47
  // copies: the copy table fills one word per cycle), while the global controller issues 3
  // SETs, RELOAD (load cycles) and START.
  CHECK(weight_config_cycles(1) == 48);
  CHECK(weight_config_cycles(47) == 48);
  CHECK(weight_config_cycles(100) == 101);
  CHECK(run_ready_cycle(weight_config_cycles(1), kFirstGroupLeadCycles + 15) == 31);
  CHECK(run_ready_cycle(weight_config_cycles(1), kFirstGroupLeadCycles + 44) == kRunStart);
  CHECK(run_ready_cycle(weight_config_cycles(1), kFirstGroupLeadCycles + 500) == kRunStart);
}

TEST_CASE("a consumer starts a pixel when every pixel before it is out") {
  const std::vector<CopyClass> two_copies = {{2, 5, 7, {}}};
  const std::vector<Stage> stages = {weight_stage(1, 4, two_copies), same_pixel_reader(1, 4)};
  // Producer outputs (prefix maxima) 9, 9, 14, 14: the reader runs pixels at 9, 10, 14, 15.
  const GroupTimeline timeline = stream_timing(stages);
  CHECK(timeline.stages[1].first_start == 9);
  CHECK(timeline.stages[1].done == 16);
  CHECK(timeline.span == 17);
}

TEST_CASE("the timing memo returns stream_timing's timeline and keeps only large groups") {
  const std::vector<CopyClass> engine = {{3, 4, 9, {}}};
  const std::vector<Stage> large = {weight_stage(32, 32, engine)};  // 1024 pixels, 10 key words
  const std::vector<Stage> small = {weight_stage(4, 4, engine)};
  TimingMemo memo;
  const GroupTimeline direct = stream_timing(large);
  for (int call = 0; call < 2; ++call) {
    const GroupTimeline remembered = memo.timing(large);
    CHECK(remembered.span == direct.span);
    CHECK(remembered.stages[0].done == direct.stages[0].done);
    CHECK(remembered.stages[0].first_start == direct.stages[0].first_start);
  }
  CHECK(memo.size() == 1);
  CHECK(memo.timing(small).span == stream_timing(small).span);
  CHECK(memo.size() == 1);
  const std::vector<CopyClass> faster = {{4, 4, 9, {}}};  // another engine: another key
  const std::vector<Stage> other = {weight_stage(32, 32, faster)};
  CHECK(memo.timing(other).span == stream_timing(other).span);
  CHECK(memo.timing(other).span < direct.span);
  CHECK(memo.size() == 2);
  const TimingMemo copy = memo;  // keys name one stream graph: a copy starts empty
  CHECK(copy.size() == 0);
}

TEST_CASE("the timing memo keeps the span of every group but the smallest for the scheduler") {
  const std::vector<CopyClass> engine = {{3, 4, 9, {}}};
  const std::vector<CopyClass> faster = {{4, 4, 9, {}}};
  const Stage reader = same_pixel_reader(8, 8);  // 128 pixels, 17 words: kept
  const std::vector<Stage> group = {weight_stage(8, 8, engine), reader};
  const std::vector<Stage> other = {weight_stage(8, 8, faster), reader};
  TimingMemo memo;
  for (int call = 0; call < 2; ++call) {
    CHECK(memo.span(group) == stream_timing(group).span);
    CHECK(memo.span(other) == stream_timing(other).span);
  }
  CHECK(memo.span(other) < memo.span(group));
  CHECK(memo.spans() == 2);  // one per group
  CHECK(memo.size() == 0);   // and no timelines
  // Two units side by side: another group, another entry.
  const std::vector<Stage> unlinked = {weight_stage(8, 8, engine), weight_stage(8, 8, engine)};
  CHECK(memo.span(unlinked) == stream_timing(unlinked).span);
  CHECK(memo.spans() == 3);
  // 32 pixels, 17 words: timed again rather than kept.
  const std::vector<Stage> tiny = {weight_stage(4, 4, engine), same_pixel_reader(4, 4)};
  CHECK(memo.span(tiny) == stream_timing(tiny).span);
  CHECK(memo.spans() == 3);
  const TimingMemo copy = memo;
  CHECK(copy.spans() == 0);
}
