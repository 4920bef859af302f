#pragma once
// Small helpers shared by the RTL testbenches: random initial state, a failure counter, a clock
// tick, the success line every testbench prints, and bit fields of Verilator ports.
#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>

#include "verilated.h"

namespace tb {

// The models are built with --x-initial unique: every variable without a reset starts random
// (a fixed seed), so a module that reads state it never reset or wrote fails its testbench.
// Call before constructing a model.
inline void random_initial_state() {
  Verilated::randReset(2);
  Verilated::randSeed(1);
}

inline int failures = 0;

inline void check(bool ok, const std::string& what) {
  if (!ok && failures++ < 20) std::fprintf(stderr, "FAIL: %s\n", what.c_str());
}

template <typename T>
void check_eq(std::int64_t got, std::int64_t want, const T& what) {
  if (got != want)
    check(false,
          std::string(what) + ": got " + std::to_string(got) + ", want " + std::to_string(want));
}

// One rising edge: inputs set before the call are sampled by the flops.
template <typename Model>
void tick(Model& m) {
  m.clk = 0;
  m.eval();
  m.clk = 1;
  m.eval();
}

inline int finish(const char* name) {
  if (failures == 0) {
    std::printf("%s: PASS\n", name);
    return 0;
  }
  std::printf("%s: FAIL (%d checks)\n", name, failures);
  return 1;
}

// Sign-extend the low `bits` of `value`.
inline std::int64_t sext(std::uint64_t value, int bits) {
  const std::uint64_t mask = bits >= 64 ? ~0ull : (1ull << bits) - 1;
  value &= mask;
  if (bits < 64 && (value >> (bits - 1)) & 1) return static_cast<std::int64_t>(value | ~mask);
  return static_cast<std::int64_t>(value);
}

// Sets bits [low, low + count) of a Verilator port (an integer or a VlWide) to `value`.
template <typename Port>
void set_bits(Port& port, int low, int count, std::uint64_t value) {
  for (int i = 0; i < count; ++i) {
    const int bit = low + i;
    const std::uint64_t one = (value >> i) & 1;
    if constexpr (std::is_integral_v<Port>) {
      port = static_cast<Port>((port & ~(Port{1} << bit)) | (static_cast<Port>(one) << bit));
    } else {
      auto& word = port[bit / 32];
      word = (word & ~(1u << (bit % 32))) | (static_cast<std::uint32_t>(one) << (bit % 32));
    }
  }
}

// Bits [low, low + count) of a VlWide port (count <= 64).
template <typename Wide>
std::uint64_t get_bits(const Wide& port, int low, int count) {
  std::uint64_t value = 0;
  for (int i = 0; i < count; ++i)
    value |= std::uint64_t{(port[(low + i) / 32] >> ((low + i) % 32)) & 1} << i;
  return value;
}

}  // namespace tb
