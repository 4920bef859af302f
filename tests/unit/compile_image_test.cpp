// The off-chip weight image of compiled designs (docs/isa.md, "Off-chip weight image"): every
// group's RELOAD words hold whole segments, longest first (offchip_port's lane l serves the
// l-th segment and hands out the bandwidth in lane order, so the longest segments must come
// first for the RELOAD formula to hold).
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <set>

#include "compile/isa.h"
#include "compile_test_flow.h"
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

}  // namespace
}  // namespace pimhls::test
