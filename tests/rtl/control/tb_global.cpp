// global_controller.sv + offchip_port.sv + offchip_memory.sv: a two-group program (RELOAD,
// START, WAIT with engine DONE pulses from the testbench, MARK, HALT) against the ISA timing
// (docs/isa.md: RELOAD = max(XFER, WRITE) + ROW_WRITE, WAIT = the last DONE + 1, measured =
// HALT - MARK), and the rows the port writes (segments with copies, groups that overwrite).
#include <map>
#include <memory>
#include <tuple>

#include "Vtb_global_top.h"
#include "tb_program.h"
#include "tb_util.h"

namespace {

using namespace pimhls;
using compile::Opcode;

struct Segment {
  int tile, array, rows, row_bits, copies = 1, stride = 0;
};

using Row = std::pair<std::uint64_t, std::uint64_t>;  // bits 0-63, 64-127

}  // namespace

int main() {
  const std::vector<std::vector<Segment>> groups = {
      {{0, 0, 5, 100}, {1, 2, 3, 40, 2, 2}, {0, 3, 6, 128}},
      {{2, 1, 4, 72}, {0, 0, 2, 17}},
  };
  // The image (dense bit streams) and the rows it should leave: (tile, array, row) -> bits.
  std::vector<std::uint64_t> image;
  std::vector<int> group_words;
  std::map<std::tuple<int, int, int>, Row> want;
  std::uint64_t seed = 0x1234;
  auto next = [&] { return seed = seed * 6364136223846793005ull + 1442695040888963407ull; };
  for (const auto& group : groups) {
    const std::size_t first = image.size();
    for (const Segment& s : group) {
      compile::SegmentHeader h;
      h.tile = s.tile;
      h.array = s.array;
      h.rows = s.rows;
      h.row_bits = s.row_bits;
      h.copies = s.copies;
      h.copy_tile_stride = s.stride;
      std::uint64_t h0 = 0, h1 = 0;
      compile::encode_segment_header(h, h0, h1);
      image.push_back(h0);
      image.push_back(h1);
      const std::size_t payload = image.size();
      image.resize(payload + static_cast<std::size_t>((s.rows * s.row_bits + 63) / 64), 0);
      for (int r = 0; r < s.rows; ++r) {
        Row row = {next(), next()};
        if (s.row_bits < 128) row.second &= s.row_bits <= 64 ? 0 : (1ull << (s.row_bits - 64)) - 1;
        if (s.row_bits < 64) row.first &= (1ull << s.row_bits) - 1;
        for (int b = 0; b < s.row_bits; ++b) {
          const std::uint64_t bit = b < 64 ? (row.first >> b) & 1 : (row.second >> (b - 64)) & 1;
          const std::size_t at = static_cast<std::size_t>(r * s.row_bits + b);
          image[payload + at / 64] |= bit << (at % 64);
        }
        for (int c = 0; c < s.copies; ++c) want[{s.tile + c * s.stride, s.array, r}] = row;
      }
    }
    group_words.push_back(static_cast<int>(image.size() - first));
  }
  // ISA timing constants: 128 bits per cycle, 3 cycles per row write.
  auto xfer = [](int words) { return (words * 64 + 127) / 128; };
  const int row_write = 3;
  const int write0 = 6 * row_write, write1 = 4 * row_write;
  tb::Program p;
  p.set(compile::greg::kXferCycles, xfer(group_words[0]));
  p.set(compile::greg::kWriteCycles, write0);
  p.set(compile::greg::kRowWrite, row_write);
  p.op(Opcode::Mark);
  p.op(Opcode::Reload, group_words[0]);
  p.op(Opcode::Start, 0);
  p.op(Opcode::Wait);
  p.set(compile::greg::kXferCycles, xfer(group_words[1]));
  p.set(compile::greg::kWriteCycles, write1);
  p.set(compile::greg::kRowWrite, row_write);
  p.op(Opcode::Reload, group_words[1]);
  p.op(Opcode::Start, 1);
  p.op(Opcode::Wait);
  p.op(Opcode::Halt);
  const std::string dir = PIMHLS_CONTROL_WORK_DIR;
  tb::write_program(dir + "/global_p.hex", p);
  tb::write_hex(dir + "/global_image.hex", image);

  // Engines' DONE delays after START g.
  const int done_delay[2][2] = {{5, 9}, {12, 2}};
  // Expected (docs/isa.md): see the header.
  const std::int64_t reload0 = std::max(xfer(group_words[0]), write0) + row_write;
  const std::int64_t reload1 = std::max(xfer(group_words[1]), write1) + row_write;
  const std::int64_t start0 = 4 + reload0;
  const std::int64_t wait0_next = std::max(start0 + 2, start0 + 9 + 1);
  const std::int64_t start1 = wait0_next + 3 + reload1;
  const std::int64_t halt = std::max(start1 + 2, start1 + 12 + 1);

  auto top = std::make_unique<Vtb_global_top>();
  top->rst_n = 0;
  tb::tick(*top);
  top->rst_n = 1;
  std::int64_t seen_start[2] = {-1, -1}, seen_halt = -1;
  for (std::int64_t cycle = 0; cycle < 1000 && seen_halt < 0; ++cycle) {
    top->engine_done_pulse = 0;
    top->clk = 0;
    top->eval();
    for (int g = 0; g < 2; ++g)
      if (seen_start[g] < 0 && top->groups_started > g) seen_start[g] = cycle;
    for (int g = 0; g < 2; ++g)
      for (int e = 0; e < 2; ++e)
        if (seen_start[g] >= 0 && cycle == seen_start[g] + done_delay[g][e])
          top->engine_done_pulse |= 1 << e;
    top->eval();
    if (top->done) seen_halt = cycle - 1;
    top->clk = 1;
    top->eval();
  }
  tb::check(!top->error, "no decode error");
  tb::check(!top->reload_overrun, "the port finished every reload within the ISA's cycles");
  tb::check_eq(seen_start[0], start0, "START 0 cycle");
  tb::check_eq(seen_start[1], start1, "START 1 cycle");
  tb::check_eq(seen_halt, halt, "HALT cycle");
  tb::check_eq(static_cast<std::int64_t>(top->measured_cycles), halt - 3, "measured cycles");
  for (int tile = 0; tile < 4; ++tile)
    for (int array = 0; array < 4; ++array)
      for (int row = 0; row < 16; ++row) {
        top->peek_array = static_cast<std::uint8_t>(tile * 4 + array);
        top->peek_row = static_cast<std::uint8_t>(row);
        top->eval();
        const auto it = want.find({tile, array, row});
        const std::string where = "tile " + std::to_string(tile) + " array " +
                                  std::to_string(array) + " row " + std::to_string(row);
        if (it == want.end()) {
          tb::check_eq(top->peek_writes, 0, where + ": writes");
          continue;
        }
        tb::check(top->peek_writes >= 1, where + ": written");
        tb::check(top->peek_data[0] == static_cast<std::uint32_t>(it->second.first) &&
                      top->peek_data[1] == static_cast<std::uint32_t>(it->second.first >> 32) &&
                      top->peek_data[2] == static_cast<std::uint32_t>(it->second.second) &&
                      top->peek_data[3] == static_cast<std::uint32_t>(it->second.second >> 32),
                  where + ": data");
      }
  return tb::finish("rtl.control.global");
}
