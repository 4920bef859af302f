#pragma once
// Writing programs and data tables for the control testbenches with the compiler's encoder
// (generator/compile/isa.h), and the ISA's timing of vector-engine runs (docs/isa.md) as an
// independent reference.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "compile/isa.h"

namespace tb {

namespace compile = pimhls::compile;

struct Program {
  std::vector<compile::Instruction> code;
  void set(std::uint8_t reg, std::int64_t value) { code.push_back(compile::set(reg, value)); }
  void op(compile::Opcode opcode, std::int64_t imm = 0) {
    code.push_back(compile::op(opcode, imm));
  }
};

inline void write_hex(const std::string& path, const std::vector<std::uint64_t>& words) {
  std::ofstream file(path);
  file << "// testbench image\n";
  for (std::uint64_t w : words) {
    char line[32];
    std::snprintf(line, sizeof line, "%016llx\n", static_cast<unsigned long long>(w));
    file << line;
  }
}

inline void write_program(const std::string& path, const Program& program) {
  std::vector<std::uint64_t> words;
  for (const compile::Instruction& i : program.code) words.push_back(compile::encode(i));
  write_hex(path, words);
}

inline constexpr std::int64_t kNever = std::int64_t{1} << 60;

// Valid times of every pixel of a buffer (kNever: not written yet).
struct BufferTimes {
  std::vector<std::int64_t> valid;
};

}  // namespace tb
