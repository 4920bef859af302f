// A tiny program compiled from a design written by hand (one SRAM tile set, Conv 3x3 + ReLU,
// MaxPool), disassembled and compared with tests/unit/compile_golden_tiny.txt, which was
// reviewed by hand against docs/isa.md. Regenerate after an intended change with
//   PIMHLS_UPDATE_GOLDEN=1 build/tests/test_compile "golden*"
// and review the diff.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "compile/rom_file.h"
#include "compile_test_flow.h"
#include "compile_test_tiny.h"
#include "quant_graphs.h"
#include "util/files.h"

namespace pimhls::test {
namespace {

std::string tiny_listing() {
  const compile::Program p = tiny_program().program;
  std::string text = "== global\n" + compile::disassemble_rom(compile::encode_program(p.global),
                                                              compile::Controller::Global);
  for (const compile::Engine& e : p.engines) {
    text += "== " + e.name + "\n" +
            compile::disassemble_rom(compile::encode_program(e.program), e.kind);
    text += "== " + e.name + "_data\n" + compile::describe_data(e.data);
  }
  text += "== offchip\n" + compile::describe_offchip(p.offchip);
  return text;
}

TEST_CASE("golden: the disassembly of a tiny program", "[compile]") {
  const std::filesystem::path golden =
      std::filesystem::path(PIMHLS_SOURCE_DIR) / "tests/unit/compile_golden_tiny.txt";
  const std::string text = tiny_listing();
  if (std::getenv("PIMHLS_UPDATE_GOLDEN")) {
    std::ofstream(golden) << text;
    WARN("rewrote " << golden.string());
  }
  REQUIRE(text == read_file(golden));
}

TEST_CASE("golden: ROM files are deterministic and read back", "[compile]") {
  const compile::Program p = tiny_program().program;
  const auto dir = std::filesystem::temp_directory_path() / "pimhls_compile_golden";
  std::filesystem::remove_all(dir);
  compile::write_program(p, dir / "a");
  compile::write_program(p, dir / "b");
  for (const char* name : {"rom/global.hex", "rom/we0.hex", "rom/we0_data.hex", "rom/ve1.hex",
                           "mem/offchip.hex", "program.json"})
    REQUIRE(read_file(dir / "a" / name) == read_file(dir / "b" / name));
  CHECK(compile::read_rom(dir / "a/rom/global.hex") == compile::encode_program(p.global));
  CHECK(compile::read_rom(dir / "a/mem/offchip.hex") == p.offchip);
  if (std::getenv("PIMHLS_SHOW_PROGRAM_JSON")) WARN(read_file(dir / "a/program.json"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pimhls::test
