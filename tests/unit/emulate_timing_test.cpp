// The emulator's cycle count on the hand-written tiny design, worked by hand from the timing
// rules of docs/isa.md, and its errors on malformed programs.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>

#include "compile_test_tiny.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

std::vector<quant::IntTensor> zero_input() {
  quant::IntTensor input;
  input.shape = {1, 2, 4, 4};
  input.data.assign(32, 0);
  return {input};
}

TEST_CASE("timing: the tiny program, cycle by cycle", "[emulate]") {
  const TinyProgram tiny = tiny_program();
  const emulate::Result r = emulate::run(tiny.program, zero_input());
  // Global: 3 SETs (cycles 0-2), RELOAD at 3 for max(XFER 4, WRITE 18 rows * 3) + 3 = 57
  // cycles, MARK at 60, START at 61, WAIT at 62.
  // we0: 48 SETs, SYNC at 48 leaves at START + 1 = 62; RUN at r = 62. 16 vectors, one copy,
  // II 56, DEPTH 61: s_v = 63 + 56 v, pixel v valid at 124 + 56 v, the last at 964; DONE 964.
  // ve1: 24 SETs, SYNC leaves at 62, RUN at 62. Output pixel p needs input pixels up to
  // v = 5, 7, 13, 15: first(p) = 404, 516, 852, 964 (one cycle each); DONE at 965.
  // WAIT ends at max(63, 965, 966) = 966 = HALT. Measured: 966 - 60 = 906.
  CHECK(r.cycles == 906);
  REQUIRE(r.groups.size() == 1);
  CHECK(r.groups[0].start == 1);
  CHECK(r.groups[0].end == 906);
  CHECK(r.groups[0].reload_cycles == 57);
  CHECK(r.runs == 2);
}

TEST_CASE("timing: copies and PIXEL_CYCLES change the count as documented", "[emulate]") {
  TinyProgram tiny = tiny_program();
  // Two copies interleave the 16 vectors: copy 0 takes 0, 2, ..., copy 1 takes 1, 3, ...; both
  // start at 63 and step by 56: vector v starts at 63 + 56 * (v / 2), the last (15) at 455,
  // valid at 516. The pool's last pixel needs 13 and 15: 63 + 56*7 + 61 = 516, DONE at 517.
  compile::Engine& we0 = tiny.program.engines[0];
  for (compile::Instruction& i : we0.program)
    if (i.op == compile::Opcode::Set && i.reg == compile::ereg::kCopies) i.imm = 2;
  // The copy table needs a second entry: give it its own table at the end of the data ROM (the
  // emulator reads the weights of copy 1 from tile 0 as well, so both copies agree).
  const std::int64_t table = static_cast<std::int64_t>(we0.data.size());
  we0.data.push_back(0);
  we0.data.push_back(0);
  for (compile::Instruction& i : we0.program)
    if (i.op == compile::Opcode::Set && i.reg == compile::ereg::kCopyTable) i.imm = table;
  emulate::Result r = emulate::run(tiny.program, zero_input());
  CHECK(r.cycles == 518 - 60);
  // Four cycles per pooled pixel: the last pixel starts at 516 and ends at 519, DONE at 520.
  for (compile::Instruction& i : tiny.program.engines[1].program)
    if (i.op == compile::Opcode::Set && i.reg == compile::ereg::kPixelCycles) i.imm = 4;
  r = emulate::run(tiny.program, zero_input());
  CHECK(r.cycles == 521 - 60);
}

TEST_CASE("timing: errors and the weights' only source", "[emulate]") {
  TinyProgram tiny = tiny_program();
  // The pool waits for its own output: no engine can progress.
  for (compile::Instruction& i : tiny.program.engines[1].program)
    if (i.op == compile::Opcode::Set && i.reg == compile::ereg::kInBuf) i.imm = 2;
  CHECK_THROWS_WITH(emulate::run(tiny.program, zero_input()),
                    Catch::Contains("engine 1 (ve1)") && Catch::Contains("deadlock"));
  tiny = tiny_program();
  tiny.program.offchip.resize(5);  // the RELOAD runs past the image
  CHECK_THROWS_WITH(emulate::run(tiny.program, zero_input()), Catch::Contains("RELOAD 11"));
  // Weights come from the image only: flipping one cell bit changes the result.
  tiny = tiny_program();
  quant::IntTensor input = zero_input()[0];
  for (std::size_t i = 0; i < input.data.size(); ++i) input.data[i] = static_cast<int>(i % 7) - 3;
  const emulate::Result before = emulate::run(tiny.program, {input});
  tiny.program.offchip[2] ^= 1;  // row 0, column 0: weight 0's bit 0, input channel 0 tap (0,0)
  for (std::size_t w = 2; w < tiny.program.offchip.size(); ++w) tiny.program.offchip[w] ^= 0x0101;
  const emulate::Result after = emulate::run(tiny.program, {input});
  CHECK(after.cycles == before.cycles);
  CHECK(after.buffers_out[0].data != before.buffers_out[0].data);
}

// The tiny design with `copies` one-tile copies of its conv.
TinyProgram tiny_program_with_copies(int copies) {
  std::string design = kTinyDesign;
  const auto replace = [&](const std::string& from, const std::string& to) {
    const std::size_t at = design.find(from);
    REQUIRE(at != std::string::npos);
    design.replace(at, from.size(), to);
  };
  replace(R"("tiles": 1, "array_rows")", fmt::format(R"("tiles": {}, "array_rows")", copies));
  std::string list;
  for (int c = 0; c < copies; ++c)
    list +=
        fmt::format(R"({}{{"first_tile": {}, "tiles": 1, "tile_sets": [0]}})", c ? ", " : "", c);
  replace(R"("duplication": 1,)", fmt::format(R"("duplication": {},)", copies));
  replace(R"({"first_tile": 0, "tiles": 1, "tile_sets": [0]})", list);
  TinyProgram tiny = tiny_program();
  tiny.program = compile::compile_design(tiny.graph, compile::parse_design_info(design, "t.json"),
                                         hw::builtin_library());
  return tiny;
}

// The weight engine reads the copy table one word per cycle after SET COPY_TABLE: a RUN issues
// COPIES + 1 cycles after it at the earliest. The compiler sets the table first and pads the
// section with NOPs when the SETs after it and the SYNC are fewer cycles than copies. (With
// 100 copies the group's START, at cycle 61, no longer hides the table.)
TEST_CASE("timing: a RUN waits for its copy table", "[emulate]") {
  for (const int copies : {2, 100}) {
    TinyProgram tiny = tiny_program_with_copies(copies);
    std::vector<compile::Instruction>& program = tiny.program.engines[0].program;
    const auto table = std::find_if(program.begin(), program.end(), [](const auto& i) {
      return i.op == compile::Opcode::Set && i.reg == compile::ereg::kCopyTable;
    });
    const auto sync = std::find_if(program.begin(), program.end(),
                                   [](const auto& i) { return i.op == compile::Opcode::Sync; });
    REQUIRE(table < sync);
    const auto nops =
        std::count_if(table, sync, [](const auto& i) { return i.op == compile::Opcode::Nop; });
    const auto after = sync - table - 1;  // SETs and NOPs after COPY_TABLE
    CHECK(nops == std::max<std::ptrdiff_t>(0, copies - 1 - (after - nops)));
    CHECK_NOTHROW(emulate::run(tiny.program, zero_input(), {.compute_values = false}));
    if (nops == 0) continue;
    program.erase(
        std::remove_if(table, sync, [](const auto& i) { return i.op == compile::Opcode::Nop; }),
        sync);
    CHECK_THROWS_WITH(emulate::run(tiny.program, zero_input(), {.compute_values = false}),
                      Catch::Contains("before the copy table of 100 copies is read"));
  }
}

TEST_CASE("timing: the timing-only mode counts the same cycles", "[emulate]") {
  const Flow flow = make_flow(example("tiny_cnn"), {"rram"}, 1.5);
  const std::vector<quant::IntTensor> codes = constant_codes(flow.graph, 1);
  const emulate::Result full = emulate::run(flow.program, codes);
  const emulate::Result fast = emulate::run(flow.program, codes, {.compute_values = false});
  CHECK(fast.cycles == full.cycles);
  REQUIRE(fast.groups.size() == full.groups.size());
  for (std::size_t g = 0; g < full.groups.size(); ++g)
    CHECK(fast.groups[g].end == full.groups[g].end);
}

}  // namespace
}  // namespace pimhls::test

namespace pimhls::test {
namespace {

// Speed check by hand: `test_emulate "[.resnet]"` (ResNet-18, 224x224).
TEST_CASE("timing: ResNet-18 compile and timing-only emulation", "[.resnet]") {
  const auto t0 = std::chrono::steady_clock::now();
  const Flow flow = make_flow(example("resnet18"), {}, 1.5);
  const auto t1 = std::chrono::steady_clock::now();
  const std::vector<quant::IntTensor> codes = constant_codes(flow.graph, 0);
  const emulate::Result fast = emulate::run(flow.program, codes, {.compute_values = false});
  const auto t2 = std::chrono::steady_clock::now();
  fmt::print(
      "resnet18: flow {:.2f} s, timing-only emulation {:.2f} s, {} cycles (design {}), {} groups\n",
      std::chrono::duration<double>(t1 - t0).count(),
      std::chrono::duration<double>(t2 - t1).count(), fast.cycles, flow.design.latency_cycles,
      fast.groups.size());
}

}  // namespace
}  // namespace pimhls::test

namespace pimhls::test {
namespace {

// Bit-exactness on ResNet-18 by hand: `test_emulate "[.resnet_exact]"` (a few minutes).
TEST_CASE("timing: ResNet-18 equals the analog reference", "[.resnet_exact]") {
  const Flow flow = make_flow(example("resnet18"), {}, 1.5);
  const Comparison c = compare_with_analog(flow);
  REQUIRE(c.actual.size() == c.expected.size());
  for (std::size_t i = 0; i < c.actual.size(); ++i) CHECK(c.actual[i].data == c.expected[i].data);
  fmt::print("resnet18: {} cycles (design {})\n", c.result.cycles, flow.design.latency_cycles);
}

}  // namespace
}  // namespace pimhls::test
