#include "compile/rom_file.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "util/error.h"
#include "util/files.h"

namespace pimhls::compile {
namespace {

const char* kind_name(BufferKind kind) {
  switch (kind) {
    case BufferKind::Input: return "input";
    case BufferKind::Activation: return "activation";
    case BufferKind::Psum: return "psum";
  }
  return "?";
}

}  // namespace

std::string rom_text(const std::vector<std::uint64_t>& words, const std::string& name,
                     std::uint64_t hash) {
  std::string text = fmt::format("// pimhls {} {} fnv1a64={:016x} words={}\n", PIMHLS_VERSION, name,
                                 hash, words.size());
  text.reserve(text.size() + words.size() * 17);
  for (std::uint64_t word : words) text += fmt::format("{:016x}\n", word);
  return text;
}

std::vector<std::uint64_t> encode_program(const std::vector<Instruction>& program) {
  std::vector<std::uint64_t> words;
  words.reserve(program.size());
  for (const Instruction& i : program) words.push_back(encode(i));
  return words;
}

std::string program_json(const Program& p, const ProgramTiming* timing) {
  nlohmann::ordered_json j;
  j["schema"] = "pimhls-program";
  j["version"] = 1;
  j["tool_version"] = PIMHLS_VERSION;
  j["network"] = p.network;
  j["fnv1a64"] = fmt::format("{:016x}", p.hash());
  j["offchip_bits_per_cycle"] = p.offchip_bits_per_cycle;
  j["offchip_words"] = p.offchip.size();
  j["measure_reloads"] = p.measure_reloads;
  j["global_rom"] = "rom/global.hex";
  j["global_words"] = p.global.size();
  auto& buffers = j["buffers"] = nlohmann::ordered_json::array();
  for (const Buffer& b : p.buffers)
    buffers.push_back({{"id", b.id},
                       {"tensor", b.tensor},
                       {"kind", kind_name(b.kind)},
                       {"channels", b.channels},
                       {"height", b.height},
                       {"width", b.width},
                       {"bits", b.bits},
                       {"signed", b.is_signed},
                       {"writers", b.writers}});
  j["inputs"] = p.input_buffers;
  auto& outputs = j["outputs"] = nlohmann::ordered_json::array();
  for (const OutputInfo& o : p.outputs)
    outputs.push_back({{"buffer", o.buffer}, {"host_op", o.host_op}});
  auto& engines = j["engines"] = nlohmann::ordered_json::array();
  for (const Engine& e : p.engines) {
    nlohmann::ordered_json entry = {{"id", e.id},
                                    {"kind", e.kind == Controller::Weight ? "weight" : "vector"},
                                    {"name", e.name},
                                    {"rom", fmt::format("rom/{}.hex", e.name)},
                                    {"data_rom", fmt::format("rom/{}_data.hex", e.name)},
                                    {"words", e.program.size()},
                                    {"data_words", e.data.size()}};
    if (e.kind == Controller::Weight)
      entry["tile_set"] = e.tile_set;
    else
      entry["node"] = e.node;
    engines.push_back(entry);
  }
  auto& groups = j["groups"] = nlohmann::ordered_json::array();
  for (std::size_t g = 0; g < p.groups.size(); ++g) {
    const GroupPlan& plan = p.groups[g];
    nlohmann::ordered_json entry = {{"id", plan.id},
                                    {"reload_words", plan.reload_words},
                                    {"xfer_cycles", plan.xfer_cycles},
                                    {"write_cycles", plan.write_cycles},
                                    {"row_write", plan.row_write},
                                    {"reload_cycles", plan.reload_cycles},
                                    {"design_reload_cycles", plan.design_reload_cycles},
                                    {"design_compute_cycles", plan.design_compute_cycles}};
    if (timing && g < timing->group_start.size()) {
      entry["start_cycle"] = timing->group_start[g];
      entry["end_cycle"] = timing->group_end[g];
    }
    groups.push_back(entry);
  }
  auto& units = j["units"] = nlohmann::ordered_json::array();
  for (const UnitStages& u : p.units)
    units.push_back({{"unit", u.unit},
                     {"name", u.name},
                     {"group", u.group},
                     {"engine", u.engine},
                     {"duplication", u.duplication},
                     {"load", u.load},
                     {"mvm", u.mvm},
                     {"shift_add", u.shift_add},
                     {"reduce", u.reduce},
                     {"tree", u.tree},
                     {"psum_noc", u.psum_noc},
                     {"output", u.output},
                     {"hops", u.hops},
                     {"interval", u.interval},
                     {"depth", u.depth},
                     {"vectors", u.vectors}});
  j["design_latency_cycles"] = p.design_latency_cycles;
  j["design_spill_cycles"] = p.design_spill_cycles;
  if (timing)
    j["expected_cycles"] = timing->measured_cycles;
  else
    j["expected_cycles"] = nullptr;
  return j.dump(2) + "\n";
}

void write_program(const Program& p, const std::filesystem::path& out_dir,
                   const ProgramTiming* timing) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::create_directories(out_dir / "rom", error);
  if (error) fail("{}: cannot create: {}", (out_dir / "rom").string(), error.message());
  fs::create_directories(out_dir / "mem", error);
  if (error) fail("{}: cannot create: {}", (out_dir / "mem").string(), error.message());
  const std::uint64_t hash = p.hash();
  write_file_atomic(out_dir / "rom" / "global.hex",
                    rom_text(encode_program(p.global), "global", hash));
  for (const Engine& e : p.engines) {
    write_file_atomic(out_dir / "rom" / (e.name + ".hex"),
                      rom_text(encode_program(e.program), e.name, hash));
    write_file_atomic(out_dir / "rom" / (e.name + "_data.hex"),
                      rom_text(e.data, e.name + "_data", hash));
  }
  write_file_atomic(out_dir / kOffchipImage, rom_text(p.offchip, "offchip", hash));
  write_file_atomic(out_dir / "program.json", program_json(p, timing));
}

std::vector<std::uint64_t> parse_rom(const std::string& text, const std::string& source) {
  std::vector<std::uint64_t> words;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line.compare(first, 2, "//") == 0) continue;
    const auto last = line.find_last_not_of(" \t\r");
    const std::string digits = line.substr(first, last - first + 1);
    if (digits.empty() || digits.size() > 16 ||
        digits.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      fail("{}:{}: expected one 64-bit hex word, got '{}'", source, number, digits);
    words.push_back(std::stoull(digits, nullptr, 16));
  }
  return words;
}

std::vector<std::uint64_t> read_rom(const std::filesystem::path& path) {
  return parse_rom(read_file(path), path.string());
}

std::string disassemble_rom(const std::vector<std::uint64_t>& words, Controller controller) {
  std::string text;
  for (std::size_t a = 0; a < words.size(); ++a)
    text += fmt::format("{:5d}  {:016x}  {}\n", a, words[a],
                        disassemble(decode(words[a], controller), controller));
  return text;
}

std::string describe_data(const std::vector<std::uint64_t>& words,
                          const std::vector<std::string>& labels) {
  std::string text;
  for (std::size_t a = 0; a < words.size(); ++a) {
    if (a < labels.size() && !labels[a].empty()) {
      text += fmt::format("{:5d}  {:016x}  {}\n", a, words[a], labels[a]);
      continue;
    }
    std::int64_t multiplier = 0;
    int shift = 0;
    unpack_requant_word(words[a], multiplier, shift);
    text += fmt::format("{:5d}  {:016x}  {:>20d}  (as requantizer: M={} shift={})\n", a, words[a],
                        static_cast<std::int64_t>(words[a]), multiplier, shift);
  }
  return text;
}

std::string describe_offchip(const std::vector<std::uint64_t>& words) {
  std::string text;
  std::size_t a = 0;
  while (a < words.size()) {
    if (a + 1 >= words.size()) fail("off-chip image: truncated segment header at word {}", a);
    const SegmentHeader h = decode_segment_header(words[a], words[a + 1]);
    text += fmt::format(
        "{:7d}  {:016x} {:016x}  SEGMENT tile {} array {} rows {} row_bits {} copies {} "
        "stride {} row_write {}\n",
        a, words[a], words[a + 1], h.tile, h.array, h.rows, h.row_bits, h.copies,
        h.copy_tile_stride, h.row_write);
    a += 2;
    const std::size_t payload = static_cast<std::size_t>(segment_payload_words(h));
    if (a + payload > words.size()) fail("off-chip image: segment at word {} is truncated", a - 2);
    for (std::int64_t r = 0; r < h.rows; ++r) {
      // The row's bits as hex, most significant digit first.
      std::string digits;
      for (std::int64_t bit = 0; bit < h.row_bits; bit += 4) {
        const int count = static_cast<int>(std::min<std::int64_t>(4, h.row_bits - bit));
        digits.insert(
            digits.begin(),
            "0123456789abcdef"[stream_bits(words.data() + a, r * h.row_bits + bit, count)]);
      }
      text += fmt::format("         row {:4d}: {}\n", r, digits);
    }
    a += payload;
  }
  return text;
}

}  // namespace pimhls::compile
