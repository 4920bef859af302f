// Validation: one-line errors naming the file, the line and the key path; "did you mean" for
// misspelt keys and names; no silent defaults.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "hw/library.h"
#include "util/error.h"

using namespace pimhls;

namespace {

// The built-in text with one line replaced (the first line that starts with `key`), so that
// the expected line number is known.
std::string with_line(const std::string& prefix, const std::string& replacement, int* line_out) {
  std::string text(hw::builtin_library_text());
  const std::size_t at = text.find("\n" + prefix);
  REQUIRE(at != std::string::npos);
  const std::size_t begin = at + 1;
  const std::size_t end = text.find('\n', begin);
  *line_out =
      1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(begin), '\n'));
  return text.substr(0, begin) + replacement + text.substr(end);
}

std::string error_of(const std::string& text, const char* source = "lib.toml") {
  try {
    hw::parse_library(text, source);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("a misspelt key: file, line, key path and did you mean") {
  int line = 0;
  const std::string text = with_line("bits_per_cell = 2", "bits_per_cel = 2", &line);
  // The required key is missing and an unknown key is its near-twin: a misspelling.
  CHECK(error_of(text) ==
        "lib.toml:" + std::to_string(line) +
            ": tile.rram.bits_per_cel: unknown key; did you mean 'bits_per_cell'?");
  const std::string misspelt =
      error_of(std::string(hw::builtin_library_text()) + "\n[tile.rram.extra]\n");  // a sub-table
  CHECK(misspelt.find("tile.rram.extra: unknown key") != std::string::npos);

  // Misspelt in an overlay: the required key is still there (from the built-in), so the
  // misspelling itself is reported, on its own line of the overlay.
  try {
    hw::overlay_library("\n[tile.rram]\nadcs_per_aray = [4]\n", "user.toml");
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(std::string(error.what()) ==
          "user.toml:3: tile.rram.adcs_per_aray: unknown key; did you mean 'adcs_per_array'?");
  }
}

// An overlay whose value makes a built-in key invalid: the position is the built-in's, the
// message names the overlay first.
TEST_CASE("an overlay that invalidates a built-in key is named") {
  try {
    hw::overlay_library("[tile.sram]\nparallel_rows = 1024\n", "rows.toml");
    FAIL("no error");
  } catch (const Error& error) {
    const std::string message = error.what();
    CHECK(message.rfind("rows.toml (laid over the built-in library): <built-in library>:", 0) == 0);
    CHECK(message.find("tile.sram.readout: digital readout 'sram_adder_tree' has 8 bits but a "
                       "column sum of 512 rows needs 10") != std::string::npos);
  }
}

TEST_CASE("zero, negative and non-power-of-two sizes are errors") {
  int line = 0;
  std::string text = with_line("array_sizes = [64, 128, 256, 512]   # [PIM-HLS] array size is a",
                               "array_sizes = [64, 100]", &line);
  CHECK(error_of(text) ==
        "lib.toml:" + std::to_string(line) +
            ": tile.sram.array_sizes: every entry must be a power of two, got 100");
  text = with_line("array_sizes = [64, 128, 256, 512]   # [PIM-HLS] array size is a",
                   "array_sizes = [0, 64]", &line);
  CHECK(error_of(text).find("every entry must be > 0, got 0") != std::string::npos);
  text = with_line("arrays_per_tile = 16", "arrays_per_tile = -4", &line);
  CHECK(error_of(text) ==
        "lib.toml:" + std::to_string(line) + ": tile.sram.arrays_per_tile: must be > 0, got -4");
  text = with_line("clock_ghz = 1.0", "clock_ghz = 0", &line);
  CHECK(error_of(text) ==
        "lib.toml:" + std::to_string(line) + ": chip.clock_ghz: must be > 0, got 0");
  text = with_line("adcs_per_array = [2, 4, 8, 16, 32]", "adcs_per_array = [2, 3]", &line);
  CHECK(
      error_of(text).find("tile.rram.adcs_per_array: every entry must be a power of two, got 3") !=
      std::string::npos);
  text = with_line("global_buffer_kib = 256", "global_buffer_kib = -1", &line);
  CHECK(error_of(text).find("chip.global_buffer_kib: must be > 0") != std::string::npos);
}

TEST_CASE("missing sections and keys are errors, never silent defaults") {
  std::string text(hw::builtin_library_text());
  const std::size_t noc = text.find("[chip.noc]");
  const std::size_t next = text.find("\n[", noc + 1);
  const std::string without_noc = text.substr(0, noc) + text.substr(next + 1);
  CHECK(error_of(without_noc).find("chip: missing section [chip.noc]") != std::string::npos);
  CHECK(error_of("[chip]\nclock_ghz = 1.0\n").find("missing section [arithmetic]") !=
        std::string::npos);
  int line = 0;
  const std::string no_clock = with_line("clock_ghz = 1.0", "", &line);
  CHECK(error_of(no_clock).find("chip: missing key 'clock_ghz'") != std::string::npos);
  const std::string no_tiles = text.substr(0, text.find("[tile.sram]"));
  CHECK(error_of(no_tiles).find("missing section [tile]") != std::string::npos);
}

TEST_CASE("wrong types, unknown names and inconsistent values") {
  int line = 0;
  std::string text = with_line("bits_per_cell = 2", "bits_per_cell = 2.5", &line);
  CHECK(error_of(text) == "lib.toml:" + std::to_string(line) +
                              ": tile.rram.bits_per_cell: expected an integer, got a float");
  text = with_line("readout = \"adc_8b\"", "readout = \"adc_8\"", &line);
  CHECK(error_of(text) == "lib.toml:" + std::to_string(line) +
                              ": tile.rram.readout: unknown name 'adc_8'; did you mean 'adc_8b'?");
  text = with_line("topology = \"mesh\"", "topology = \"torus\"", &line);
  CHECK(error_of(text).find("chip.noc.topology: unknown name 'torus' (expected one of: mesh)") !=
        std::string::npos);
  text = with_line("weight_encoding = \"offset\"", "weight_encoding = \"twos_complement\"", &line);
  CHECK(error_of(text).find("twos_complement needs bits_per_cell = 1") != std::string::npos);
  text = with_line("baseline_array_size = 256", "baseline_array_size = 1024", &line);
  CHECK(error_of(text).find("1024 is not one of array_sizes") != std::string::npos);
  text = with_line("parallel_rows = 128", "parallel_rows = 512", &line);
  CHECK(error_of(text).find("digital readout 'sram_adder_tree' has 8 bits but a column sum of 512 "
                            "rows needs 10") != std::string::npos);
  text = with_line("cell_area_um2 = 0.205", "cell_area_um2 = 0.205\ncell_density_mb_per_mm2 = 3.0",
                   &line);
  CHECK(error_of(text).find("not both") != std::string::npos);
  text = with_line("accumulator_bits = 32", "accumulator_bits = 12", &line);
  CHECK(error_of(text).find("accumulator_bits: must hold at least one product") !=
        std::string::npos);
  CHECK(error_of(std::string(hw::builtin_library_text()) + "\n[tile.RRAM2]\n")
            .find("a name must be lower-case") != std::string::npos);
}

TEST_CASE("TOML syntax errors name the file and line") {
  const std::string message = error_of("[chip]\nclock_ghz = = 1\n", "broken.toml");
  CHECK(message.find("broken.toml:2: TOML syntax error") == 0);
}
