#pragma once
// The check `pimhls sim` and `pimhls gen` run on a generated design: simulate it (Verilator,
// cached) with one input and compare every output code with the golden emulator of the same
// Program, bit for bit, and the simulated cycles with the emulator's (exactly) and with
// design.json's estimate (docs/rtl.md, "Generated design").
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "emit/flow.h"
#include "ir/graph.h"

namespace pimhls::emit {

struct VerifyResult {
  bool pass = false;
  std::string report;  // lines to print, the last one "PASS ..." or "FAIL ..."
  std::int64_t simulated_cycles = 0, emulated_cycles = 0, estimate_cycles = 0;
};

// Seeded random inputs like `pimhls run`'s (standard normal, seed + i for input i).
std::vector<ir::Tensor> random_inputs(const ir::Graph& graph, unsigned seed);

// `pimhls gen` verifies by default only designs this small (the tiny CNN's, not VGG-8's: the
// Verilator build takes minutes): at most kVerifyMaxCycles estimated cycles and kVerifyMaxTiles
// tiles.
inline constexpr std::int64_t kVerifyMaxCycles = 250'000;
inline constexpr std::int64_t kVerifyMaxTiles = 32;
bool small_enough_to_verify(const RtlDesign& rtl);

// `inputs`: one float tensor per graph input, quantized here with the inputs' scales.
VerifyResult verify_rtl(const std::filesystem::path& out_dir, const RtlDesign& rtl,
                        const std::vector<ir::Tensor>& inputs);

}  // namespace pimhls::emit
