#pragma once
// ROM images on disk (docs/isa.md, "Files") and their readable form:
//   write_program(program, out_dir, timing)  OUT/rom/*.hex, OUT/mem/offchip.hex, OUT/program.json
//   read_rom(path)                           the words of a `$readmemh` file (comments skipped)
//   disassemble_rom(words, kind)             one line per word: address, hex, mnemonic
//   describe_data(words, labels)             a data ROM, word by word
//   describe_offchip(words)                  the segments of an off-chip image
// Every file starts with `// pimhls <version> <name> fnv1a64=<hash of the program>`; the same
// Program gives byte-identical files.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "compile/program.h"

namespace pimhls::compile {

// The off-chip weight image, relative to OUT (the simulation top loads it from there).
inline constexpr const char* kOffchipImage = "mem/offchip.hex";

// What the emulator measured (emulate::run), written into program.json as the expectation the
// RTL must meet exactly. Optional: without it program.json has null cycles.
struct ProgramTiming {
  std::int64_t measured_cycles = 0;
  std::vector<std::int64_t> group_start;  // per group: the issue cycle of START, from MARK
  std::vector<std::int64_t> group_end;    // per group: the cycle after WAIT, from MARK
};

// The text of one ROM file: header comment + one 16-digit lowercase hex word per line.
std::string rom_text(const std::vector<std::uint64_t>& words, const std::string& name,
                     std::uint64_t hash);
std::vector<std::uint64_t> encode_program(const std::vector<Instruction>& program);
std::string program_json(const Program& program, const ProgramTiming* timing);
void write_program(const Program& program, const std::filesystem::path& out_dir,
                   const ProgramTiming* timing = nullptr);

// Throws Error naming the file and line on a malformed line.
std::vector<std::uint64_t> read_rom(const std::filesystem::path& path);
std::vector<std::uint64_t> parse_rom(const std::string& text, const std::string& source);

std::string disassemble_rom(const std::vector<std::uint64_t>& words, Controller controller);
// Data-ROM words with their labels (compile/data_labels.h; a word without one is shown as an
// integer and as a requantizer).
std::string describe_data(const std::vector<std::uint64_t>& words,
                          const std::vector<std::string>& labels = {});
std::string describe_offchip(const std::vector<std::uint64_t>& words);

}  // namespace pimhls::compile
