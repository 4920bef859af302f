// pim_requant against quant::Requantizer (bias add, (v*M + 2^(s-1)) >> s, clamp) on seeded
// random values, multipliers from make_requantizer and raw, shifts 0..62, narrow clamps.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>

#include "Vpim_requant.h"
#include "quant/fixed_point.h"
#include "verilated.h"

using namespace pimhls::quant;

int main(int argc, char** argv) {
  auto context = std::make_unique<VerilatedContext>();
  context->commandArgs(argc, argv);
  context->randReset(2);  // --x-initial unique: state without a reset starts random
  context->randSeed(1);
  auto top = std::make_unique<Vpim_requant>(context.get());
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
  std::int64_t pending = 0;
  bool have_pending = false;
  for (int i = 0; i <= 20000; ++i) {
    // The result of the previous cycle's input.
    if (have_pending) {
      const std::int32_t got = static_cast<std::int32_t>(top->out_value);
      if (!top->out_valid || got != pending) {
        if (++failures <= 10)
          std::fprintf(stderr, "case %d: rtl %d (valid %d), golden %lld\n", i - 1, got,
                       top->out_valid, static_cast<long long>(pending));
      }
      ++checked;
    }
    if (i == 20000) break;
    const std::int64_t value = uniform(INT32_MIN, INT32_MAX);
    const std::int64_t bias = uniform(-(1 << 24), 1 << 24);
    Requantizer r;
    if (i % 2 == 0) {
      r = make_requantizer(std::ldexp(std::uniform_real_distribution<double>(-1, 1)(rng),
                                      static_cast<int>(uniform(-20, 0))),
                           16);
    } else {
      r.multiplier = uniform(-(1 << 30), 1 << 30);
      r.shift = static_cast<int>(uniform(0, 62));
    }
    std::int64_t low = uniform(-200, 0), high = uniform(0, 200);
    if (i % 5 == 0) low = INT32_MIN, high = INT32_MAX;
    pending = std::clamp(r.apply(value + bias), low, high);
    top->in_valid = 1;
    top->in_value = static_cast<std::uint32_t>(value);
    top->in_bias = static_cast<std::uint32_t>(bias);
    top->in_mult = static_cast<std::uint32_t>(r.multiplier);
    top->in_shift = static_cast<std::uint8_t>(r.shift);
    top->in_clamp_min = static_cast<std::uint32_t>(low);
    top->in_clamp_max = static_cast<std::uint32_t>(high);
    tick();
    have_pending = true;
  }
  top->final();
  std::printf("pim_requant: %d results: %s\n", checked, failures == 0 ? "PASS" : "FAIL");
  return failures == 0 ? 0 : 1;
}
