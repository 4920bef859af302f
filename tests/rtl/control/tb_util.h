#pragma once
// Small helpers shared by the control testbenches: a failure counter, a clock tick, and the
// success line every testbench prints.
#include <cstdint>
#include <cstdio>
#include <string>

namespace tb {

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

}  // namespace tb
