// global_controller.sv + offchip_port.sv + offchip_memory.sv: a three-group program (RELOAD,
// START, WAIT with engine DONE pulses from the testbench, MARK, HALT) against the ISA timing
// (docs/isa.md: RELOAD = max(XFER, WRITE) + ROW_WRITE, WAIT = the last DONE + 1, measured =
// HALT - MARK), and the rows the port writes (segments with copies, groups that overwrite, more
// segments than the port's lanes). The port's schedule is the compiler's model to the cycle
// (compile::port_reload_cycles: reload_busy falls when it says), and where the schedule
// outlasts the formula, the compiler's XFER covers it (random groups of uneven segments).
#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <tuple>

#include "Vtb_global_top.h"
#include "compile/reload_port.h"
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
  tb::random_initial_state();
  // Group 2: equal segments that need more than the port's 2 lanes at the bandwidth's row rate
  // (128 bits per cycle, 3-cycle row writes): a fixed priority of segments leaves the last
  // segment's 12 rows for the end (36 + 36 cycles against the formula's 55).
  std::vector<std::vector<Segment>> groups = {
      {{0, 0, 5, 100}, {1, 2, 3, 40, 2, 2}, {0, 3, 6, 128}},
      {{2, 1, 4, 72}, {0, 0, 2, 17}},
      {{1, 0, 12, 128}, {1, 1, 12, 128}, {2, 2, 12, 128}, {2, 3, 12, 128}},
  };
  const int row_write = 3;  // the row sink's (tb_global_top WRITE_CYCLES)
  std::uint64_t seed = 0x1234;
  auto next = [&] { return seed = seed * 6364136223846793005ull + 1442695040888963407ull; };
  // Random groups: 1-8 segments on distinct arrays, 1-15 rows of 1-128 bits, longest first (as
  // the compiler orders them); 30 of them, then 10 whose schedule outlasts the formula (both of
  // its bounds tight: found by the model, rare among random groups).
  const compile::PortBus bus{2, 128, 128};  // tb_global_top's port: 2 lanes, 128 bits per cycle
  auto words_of = [](const std::vector<Segment>& group) {
    int words = 0;
    for (const Segment& s : group) words += 2 + (s.rows * s.row_bits + 63) / 64;
    return words;
  };
  for (int raised = 0; raised < 10;) {
    std::vector<Segment> group;
    std::vector<compile::SegmentHeader> h;
    const int count = 1 + static_cast<int>(next() >> 33) % 8;
    for (int k = 0; k < count; ++k)
      group.push_back({k / 4, k % 4, 1 + static_cast<int>((next() >> 33) % 15),
                       1 + static_cast<int>((next() >> 33) % 128)});
    std::stable_sort(group.begin(), group.end(),
                     [](const Segment& a, const Segment& b) { return a.rows > b.rows; });
    int most_rows = 0;
    for (const Segment& s : group) {
      compile::SegmentHeader header;
      header.rows = s.rows;
      header.row_bits = s.row_bits;
      header.row_write = row_write;
      h.push_back(header);
      most_rows = std::max(most_rows, s.rows);
    }
    const int formula =
        std::max((words_of(group) * 64 + 127) / 128, most_rows * row_write) + row_write;
    const bool late = compile::port_reload_cycles(h, bus) > formula;
    if (groups.size() < 33 && !late) groups.push_back(group);
    if (groups.size() >= 33 && late) {
      groups.push_back(group);
      ++raised;
    }
  }
  // The image (dense bit streams) and the rows it should leave: (tile, array, row) -> bits.
  std::vector<std::uint64_t> image;
  std::vector<int> group_words, group_rows;
  std::map<std::tuple<int, int, int>, Row> want;
  std::vector<std::vector<compile::SegmentHeader>> headers(groups.size());
  for (const auto& group : groups) {
    const std::size_t first = image.size();
    int most_rows = 0;
    for (const Segment& s : group) {
      compile::SegmentHeader h;
      h.tile = s.tile;
      h.array = s.array;
      h.rows = s.rows;
      h.row_bits = s.row_bits;
      h.copies = s.copies;
      h.copy_tile_stride = s.stride;
      h.row_write = row_write;
      headers[&group - groups.data()].push_back(h);
      most_rows = std::max(most_rows, s.rows);
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
    group_rows.push_back(most_rows);
  }
  // ISA timing constants: 128 bits per cycle, 3 cycles per row write; the first RELOAD in
  // cycle 4 (after MARK and 3 SETs).
  std::vector<std::int64_t> xfer(groups.size()), schedule(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::int64_t last_scan =
        g == 0 ? static_cast<std::int64_t>(headers[0].size()) - 1 - 4 : -1;
    schedule[g] = compile::port_reload_cycles(headers[g], bus, last_scan);
    xfer[g] = (group_words[g] * 64 + 127) / 128;
    const std::int64_t formula =
        std::max<std::int64_t>(xfer[g], group_rows[g] * row_write) + row_write;
    if (schedule[g] > formula) xfer[g] = schedule[g] - row_write;  // as compile does
  }
  tb::Program p;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    p.set(compile::greg::kXferCycles, xfer[g]);
    p.set(compile::greg::kWriteCycles, group_rows[g] * row_write);
    p.set(compile::greg::kRowWrite, row_write);
    if (g == 0) p.op(Opcode::Mark);
    p.op(Opcode::Reload, group_words[g]);
    p.op(Opcode::Start, static_cast<std::int64_t>(g));
    p.op(Opcode::Wait);
  }
  p.op(Opcode::Halt);
  const std::string dir = PIMHLS_CONTROL_WORK_DIR;
  tb::write_program(dir + "/global_p.hex", p);
  tb::write_hex(dir + "/global_image.hex", image);

  // Engines' DONE delays after START g.
  std::vector<std::array<int, 2>> done_delay = {{5, 9}, {12, 2}, {4, 7}};
  while (done_delay.size() < groups.size())  // long enough to scan the next group's headers
    done_delay.push_back({8 + static_cast<int>(next() >> 33) % 8, 8});
  // Expected (docs/isa.md): see the header. Group 0's RELOAD issues in cycle 4 (after its three
  // SETs and MARK), a later one 3 cycles after the WAIT ends (its SETs).
  std::vector<std::int64_t> start(groups.size()), port_free(groups.size());
  std::int64_t wait_end = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::int64_t reload =
        std::max<std::int64_t>(xfer[g], group_rows[g] * row_write) + row_write;
    const std::int64_t issue = g == 0 ? 4 : wait_end + 3;
    start[g] = issue + reload;
    port_free[g] = issue + schedule[g] - 1;  // reload_busy low from then
    wait_end = std::max(start[g] + 2, start[g] + std::max(done_delay[g][0], done_delay[g][1]) + 1);
  }
  const std::int64_t halt = wait_end;

  auto top = std::make_unique<Vtb_global_top>();
  top->rst_n = 0;
  tb::tick(*top);
  top->rst_n = 1;
  std::vector<std::int64_t> seen_start(groups.size(), -1), seen_free;
  std::int64_t seen_halt = -1;
  bool was_busy = false;
  for (std::int64_t cycle = 0; cycle < 20000 && seen_halt < 0; ++cycle) {
    top->engine_done_pulse = 0;
    top->clk = 0;
    top->eval();
    if (was_busy && !top->reload_busy) seen_free.push_back(cycle);
    was_busy = top->reload_busy;
    for (std::size_t g = 0; g < groups.size(); ++g)
      if (seen_start[g] < 0 && top->groups_started > g) seen_start[g] = cycle;
    for (std::size_t g = 0; g < groups.size(); ++g)
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
  for (std::size_t g = 0; g < groups.size(); ++g)
    tb::check_eq(seen_start[g], start[g], "START " + std::to_string(g) + " cycle");
  tb::check_eq(static_cast<std::int64_t>(seen_free.size()),
               static_cast<std::int64_t>(groups.size()), "reloads");
  for (std::size_t g = 0; g < groups.size() && g < seen_free.size(); ++g)
    tb::check_eq(seen_free[g], port_free[g], "group " + std::to_string(g) + ": port idle cycle");
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
