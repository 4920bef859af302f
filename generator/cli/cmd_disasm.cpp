// pimhls disasm: print a ROM image (OUT/rom/*.hex, OUT/mem/offchip.hex) readably.
#include <fmt/core.h>

#include <filesystem>

#include "cli/commands.h"
#include "compile/data_labels.h"
#include "compile/rom_file.h"
#include "util/error.h"

namespace pimhls::cli {
namespace {

namespace fs = std::filesystem;

void disasm(const std::string& file) {
  const std::vector<std::uint64_t> words = compile::read_rom(file);
  const std::string name = fs::path(file).stem().string();
  if (name == "offchip") {
    fmt::print("{}", compile::describe_offchip(words));
  } else if (name.size() > 5 && name.substr(name.size() - 5) == "_data") {
    // Labelled by the RUNs of the engine's program when it lies beside (we<k>.hex, ve<k>.hex).
    const std::string engine = name.substr(0, name.size() - 5);
    const fs::path program = fs::path(file).parent_path() / (engine + ".hex");
    std::vector<std::string> labels;
    if ((engine.rfind("we", 0) == 0 || engine.rfind("ve", 0) == 0) && fs::is_regular_file(program))
      labels = compile::data_labels(
          compile::read_rom(program),
          engine[0] == 'w' ? compile::Controller::Weight : compile::Controller::Vector, words);
    fmt::print("{}", compile::describe_data(words, labels));
  } else if (name == "global") {
    fmt::print("{}", compile::disassemble_rom(words, compile::Controller::Global));
  } else if (name.rfind("we", 0) == 0) {
    fmt::print("{}", compile::disassemble_rom(words, compile::Controller::Weight));
  } else if (name.rfind("ve", 0) == 0) {
    fmt::print("{}", compile::disassemble_rom(words, compile::Controller::Vector));
  } else {
    throw Error(fmt::format(
        "{}: unknown ROM name (expected global, we<k>, ve<k>, *_data or offchip .hex)", file));
  }
}

}  // namespace

void add_disasm_command(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "disasm",
      "Print a ROM image written by `pimhls gen` readably (docs/isa.md): OUT/rom/global.hex "
      "(global controller), OUT/rom/we<k>.hex (weight engine of tile set k), OUT/rom/ve<k>.hex "
      "(vector engine), OUT/rom/*_data.hex (data ROMs: tables, labelled by the RUNs of the "
      "engine's program beside them) or OUT/mem/offchip.hex (the "
      "off-chip weight image, segment by segment). The controller kind follows from the file "
      "name.");
  command->add_option("file", *file, "the .hex file")->required();
  command->callback([file] { disasm(*file); });
}

}  // namespace pimhls::cli
