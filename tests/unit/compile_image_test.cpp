// The off-chip weight image of compiled designs (docs/isa.md, "Off-chip weight image"): every
// group's RELOAD words hold whole segments, longest first (offchip_port's lane l serves the
// l-th segment and hands out the bandwidth in lane order, so the longest segments must come
// first for the RELOAD formula to hold).
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <set>

#include "compile/isa.h"
#include "compile_test_flow.h"
#include "hw/library.h"
#include "quant_graphs.h"

namespace pimhls::test {
namespace {

TEST_CASE("image: each group's segments are whole and longest first", "[compile]") {
  const ir::Graph graph = example("tiny_cnn");
  const std::vector<std::vector<std::string>> technologies = {{"sram"}, {"rram"}, {}};
  int mixed_groups = 0;  // groups whose segments have different row counts (the order matters)
  for (const auto& tech : technologies)
    for (const double budget : {1.1, 1.5, 4.0}) {
      INFO(fmt::format("tiny_cnn {} x{}", tech.empty() ? "hetero" : tech[0], budget));
      const compile::Program program = make_flow(graph, tech, budget).program;
      std::size_t word = 0;
      int unsorted = 0, segments = 0;
      for (const compile::GroupPlan& group : program.groups) {
        const std::size_t end = word + static_cast<std::size_t>(group.reload_words);
        std::int64_t previous_rows = -1;
        std::set<std::int64_t> rows_seen;
        while (word < end) {
          REQUIRE(word + 1 < program.offchip.size());
          const compile::SegmentHeader h =
              compile::decode_segment_header(program.offchip[word], program.offchip[word + 1]);
          if (previous_rows >= 0 && h.rows > previous_rows) ++unsorted;
          previous_rows = h.rows;
          rows_seen.insert(h.rows);
          ++segments;
          word += 2 + static_cast<std::size_t>(compile::segment_payload_words(h));
        }
        REQUIRE(word == end);
        if (rows_seen.size() > 1) ++mixed_groups;
      }
      CHECK(unsorted == 0);
      CHECK(segments > 0);
    }
  CHECK(mixed_groups > 0);
}

// Every array of every copy is written by exactly one segment of its group's RELOAD: copies
// share a stream per run at an even tile distance and per array geometry (copies on another
// readout included), so no target is written twice and none is left out.
TEST_CASE("image: every copy's arrays are written once per reload", "[compile]") {
  const ir::Graph graph = example("tiny_cnn");
  const hw::Library readouts = readouts_library();
  int shared_runs = 0;  // segments whose stream feeds several copies
  for (const hw::Library* library : {static_cast<const hw::Library*>(nullptr), &readouts})
    for (const auto& tech : std::vector<std::vector<std::string>>{{"sram"}, {"rram"}, {}})
      for (const double budget : {1.1, 2.0, 2.83, 4.0}) {
        INFO(fmt::format("tiny_cnn {} x{}{}", tech.empty() ? "hetero" : tech[0], budget,
                         library ? " readouts" : ""));
        const Flow flow = make_flow(graph, tech, budget, 7, library);
        std::size_t word = 0;
        for (const compile::GroupPlan& plan : flow.program.groups) {
          std::set<std::pair<std::int64_t, int>> targets;
          const std::size_t end = word + static_cast<std::size_t>(plan.reload_words);
          while (word < end) {
            const compile::SegmentHeader h = compile::decode_segment_header(
                flow.program.offchip[word], flow.program.offchip[word + 1]);
            if (h.copies > 1) ++shared_runs;
            for (std::int64_t c = 0; c < h.copies; ++c)
              CHECK(targets.insert({h.tile + c * h.copy_tile_stride, h.array}).second);
            word += 2 + static_cast<std::size_t>(compile::segment_payload_words(h));
          }
          // the targets lie on the group's copies, and every copy has its arrays written
          const compile::GroupInfo& group =
              flow.design.groups.at(static_cast<std::size_t>(plan.id));
          std::set<std::int64_t> copy_tiles;
          for (const compile::MappingInfo& mapping : group.mapping)
            for (const compile::CopyInfo& copy : mapping.copies) {
              bool written = false;
              for (std::int64_t t = copy.first_tile; t < copy.first_tile + copy.tiles; ++t) {
                copy_tiles.insert(t);
                for (const auto& target : targets) written = written || target.first == t;
              }
              CHECK(written);
            }
          for (const auto& target : targets) CHECK(copy_tiles.count(target.first) == 1);
        }
      }
  CHECK(shared_runs > 0);
}

// The cost model's reload bits are the compiled image's, to the bit: two header words and the
// padded cells of every array segment, one stream per run of copies (cost::image_bits,
// cost::CopyRun), over networks with plain, grouped and depthwise convs, split and duplicated
// units and copies on several readouts.
TEST_CASE("image: the cost model counts the compiled image's bits", "[compile]") {
  const hw::Library readouts = readouts_library();
  const hw::Library small_tiles = small_tiles_library();
  const std::vector<std::pair<std::string, ir::Graph>> nets = {{"tiny_cnn", example("tiny_cnn")},
                                                               {"grouped", grouped_net(3)}};
  int groups = 0;
  for (const auto& [name, graph] : nets)
    for (const hw::Library* library :
         {static_cast<const hw::Library*>(nullptr), &readouts, &small_tiles})
      for (const auto& tech : std::vector<std::vector<std::string>>{{"sram"}, {"rram"}, {}})
        for (const double budget : {1.1, 2.0, 2.83, 8.0}) {
          const Flow flow = make_flow(graph, tech, budget, 7, library);
          REQUIRE(flow.evaluation.groups.size() == flow.program.groups.size());
          for (std::size_t g = 0; g < flow.program.groups.size(); ++g) {
            INFO(fmt::format("{} {} x{} ({}), group {}", name, tech.empty() ? "hetero" : tech[0],
                             budget, library ? library->source : "built-in", g));
            CHECK(flow.evaluation.groups[g].reload_bits ==
                  flow.program.groups[g].reload_words * 64);
            ++groups;
          }
        }
  CHECK(groups > 72);  // every flow has at least one group; most have several
}

}  // namespace
}  // namespace pimhls::test
