// pim_vector_alu against the integer kernels' arithmetic (quant/int_ops.cpp): runs of 1..9
// inputs reduced by sum or max, then clamp(shift_round(r*ma + b*mb + c, s)), seeded random.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>

#include "Vpim_vector_alu.h"
#include "quant/fixed_point.h"
#include "verilated.h"

using namespace pimhls::quant;

int main(int argc, char** argv) {
  auto context = std::make_unique<VerilatedContext>();
  context->commandArgs(argc, argv);
  context->randReset(2);  // --x-initial unique: state without a reset starts random
  context->randSeed(1);
  auto top = std::make_unique<Vpim_vector_alu>(context.get());
  auto tick = [&] {
    top->clk = 0;
    top->eval();
    top->clk = 1;
    top->eval();
  };
  top->rst_n = 0;
  tick();
  top->rst_n = 1;
  std::mt19937_64 rng(6);
  auto uniform = [&](std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>(low, high)(rng);
  };
  int failures = 0, checked = 0;
  for (int run = 0; run < 5000; ++run) {
    const bool max = uniform(0, 1) == 1;
    const int length = static_cast<int>(uniform(1, 9));
    const std::int64_t ma = uniform(-(1 << 24), 1 << 24), mb = uniform(-(1 << 24), 1 << 24);
    const std::int64_t c = uniform(-(std::int64_t{1} << 40), std::int64_t{1} << 40);
    const int shift = static_cast<int>(uniform(0, 40));
    std::int64_t low = uniform(-300, 0), high = uniform(0, 300);
    if (run % 4 == 0) low = INT32_MIN, high = INT32_MAX;
    top->cfg_ma = static_cast<std::uint32_t>(ma);
    top->cfg_mb = static_cast<std::uint32_t>(mb);
    top->cfg_c = static_cast<std::uint64_t>(c);
    top->cfg_shift = static_cast<std::uint8_t>(shift);
    top->cfg_clamp_min = static_cast<std::uint32_t>(low);
    top->cfg_clamp_max = static_cast<std::uint32_t>(high);
    top->in_op = max;
    std::int64_t reduced = 0, b = 0;
    for (int i = 0; i < length; ++i) {
      const std::int64_t a = uniform(-(1 << 16), 1 << 16);
      b = uniform(-(1 << 16), 1 << 16);
      reduced = i == 0 ? a : max ? std::max(reduced, a) : reduced + a;
      top->in_valid = 1;
      top->in_first = i == 0;
      top->in_last = i == length - 1;
      top->in_a = static_cast<std::uint32_t>(a);
      top->in_b = static_cast<std::uint32_t>(b);
      tick();
      if (i + 1 < length && top->out_valid) ++failures;
      // A bubble now and then: the run must survive invalid cycles.
      if (uniform(0, 3) == 0) {
        top->in_valid = 0;
        tick();
      }
    }
    top->in_valid = 0;
    const std::int64_t want = std::clamp(shift_round(reduced * ma + b * mb + c, shift), low, high);
    // The result is registered at the edge of in_last; a bubble may have followed.
    const std::int32_t got = static_cast<std::int32_t>(top->out_value);
    if (got != want) {
      if (++failures <= 10)
        std::fprintf(stderr, "run %d (%s, %d inputs): rtl %d, golden %lld\n", run,
                     max ? "max" : "sum", length, got, static_cast<long long>(want));
    }
    ++checked;
  }
  top->final();
  std::printf("pim_vector_alu: %d runs: %s\n", checked, failures == 0 ? "PASS" : "FAIL");
  return failures == 0 ? 0 : 1;
}
