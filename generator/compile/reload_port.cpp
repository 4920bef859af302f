#include "compile/reload_port.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <set>

#include "cost/cycles.h"

namespace pimhls::compile {

std::vector<std::vector<SegmentHeader>> group_segments(const Program& program) {
  std::vector<std::vector<SegmentHeader>> groups;
  std::size_t word = 0;
  for (const GroupPlan& group : program.groups) {
    std::vector<SegmentHeader>& segments = groups.emplace_back();
    const std::size_t end = word + static_cast<std::size_t>(group.reload_words);
    while (word + 1 < end && word + 1 < program.offchip.size()) {
      segments.push_back(decode_segment_header(program.offchip[word], program.offchip[word + 1]));
      word += 2 + static_cast<std::size_t>(segment_payload_words(segments.back()));
    }
    word = end;
  }
  return groups;
}

ReloadShape reload_shape(const std::vector<std::vector<SegmentHeader>>& groups) {
  ReloadShape shape;
  for (const std::vector<SegmentHeader>& segments : groups) {
    for (const SegmentHeader& header : segments)
      if (header.rows > 0 && header.row_bits > 0)
        shape.min_row_bits = shape.min_row_bits == 0
                                 ? header.row_bits
                                 : std::min(shape.min_row_bits, header.row_bits);
    shape.max_segments = std::max(shape.max_segments, static_cast<std::int64_t>(segments.size()));
  }
  return shape;
}

ReloadShape reload_shape(const Program& program) { return reload_shape(group_segments(program)); }

std::int64_t reload_lanes(const ReloadShape& shape, std::int64_t bits_per_cycle) {
  if (shape.min_row_bits == 0) return 1;
  const std::int64_t paid =
      cost::ceil_div(std::max<std::int64_t>(1, bits_per_cycle), shape.min_row_bits);
  return std::min(shape.max_segments, paid + 1);
}

std::int64_t reload_row_bits(const Program& program, const DesignInfo& design,
                             const hw::Library& library) {
  std::int64_t row_bits = 64;
  for (const Engine& engine : program.engines) {
    if (engine.kind != Controller::Weight) continue;
    const TileSetInfo& set = design.tile_sets.at(static_cast<std::size_t>(engine.tile_set));
    const int type = library.tile_type_index(set.technology);
    if (type < 0) continue;  // compile_design rejects it first
    const int bits_per_cell = library.tile_types[static_cast<std::size_t>(type)].bits_per_cell;
    row_bits = std::max<std::int64_t>(row_bits, set.array_cols * bits_per_cell);
  }
  return row_bits;
}

std::int64_t port_reload_cycles(const std::vector<SegmentHeader>& segments, const PortBus& bus,
                                std::int64_t last_scan) {
  struct Progress {
    std::int64_t rows, bits, write, row = 0, work;
  };
  std::vector<Progress> progress;
  std::int64_t rows_left = 0;
  // Ready segments by urgency: the most write time left first, ties in image order (the port's
  // picks); the others by the cycle their arrays take the next row.
  std::set<std::pair<std::int64_t, std::size_t>> ready;  // (-work, segment)
  using Waiting = std::pair<std::int64_t, std::size_t>;  // (ready_at, segment)
  std::priority_queue<Waiting, std::vector<Waiting>, std::greater<>> waiting;
  for (const SegmentHeader& h : segments) {
    const std::int64_t write = std::max<std::int64_t>(1, h.row_write);
    progress.push_back({h.rows, h.row_bits, write, 0, h.rows * write});
    rows_left += h.rows;
    if (h.rows > 0) ready.insert({-h.rows * write, progress.size() - 1});
  }
  // RELOAD in cycle 0 fills the tokens (a row per lane); the port issues rows from the cycle
  // after the one that sees every header scanned; the controller issues two cycles after the
  // cycle of the last row.
  constexpr std::int64_t kTokenCap = std::int64_t{1} << 20;
  std::int64_t tokens = bus.lanes * bus.row_bits;
  std::vector<std::size_t> paid;
  for (std::int64_t now = std::max<std::int64_t>(1, last_scan + 2);; ++now) {
    while (!waiting.empty() && waiting.top().first <= now) {
      const std::size_t i = waiting.top().second;
      waiting.pop();
      ready.insert({-progress[i].work, i});
    }
    // The lanes' picks in urgency order, paid while the budget lasts (the first unpaid row
    // stops the lanes).
    std::int64_t budget = tokens, first_unpaid = -1, lane = 0;
    paid.clear();
    for (auto it = ready.begin(); it != ready.end() && lane < bus.lanes; ++it, ++lane) {
      if (budget < progress[it->second].bits) {
        first_unpaid = progress[it->second].bits;
        break;
      }
      budget -= progress[it->second].bits;
      paid.push_back(it->second);
    }
    for (std::size_t i : paid) {
      Progress& p = progress[i];
      ready.erase({-p.work, i});
      ++p.row;
      p.work -= p.write;
      --rows_left;
      if (p.row < p.rows) waiting.push({now + p.write, i});
    }
    if (rows_left == 0) return now + 2;
    tokens = std::min(budget + bus.bits_per_cycle, kTokenCap);
    if (!paid.empty()) continue;
    // Nothing moves until a segment becomes ready or the tokens pay the first pick's row: skip
    // the idle cycles between (the tokens grow as they would).
    std::int64_t next =
        waiting.empty() ? std::numeric_limits<std::int64_t>::max() : waiting.top().first;
    if (first_unpaid >= 0)
      next = std::min(next, now + 1 +
                                cost::ceil_div(std::max<std::int64_t>(0, first_unpaid - tokens),
                                               bus.bits_per_cycle));
    const std::int64_t idle = next - now - 1;
    if (idle > 0) {
      tokens = std::min(tokens + idle * bus.bits_per_cycle, kTokenCap);
      now += idle;
    }
  }
}

void fit_reloads_to_port(Program& program, const std::vector<std::size_t>& xfer_sets,
                         std::int64_t row_bits) {
  const std::vector<std::vector<SegmentHeader>> groups = group_segments(program);
  const PortBus bus{reload_lanes(reload_shape(groups), program.offchip_bits_per_cycle), row_bits,
                    program.offchip_bits_per_cycle};
  if (program.groups.empty()) return;
  // The port scans the first group's headers from reset, one per cycle: the first RELOAD may
  // come before the last of them.
  std::int64_t first_reload = 0;
  while (program.global.at(static_cast<std::size_t>(first_reload)).op != Opcode::Reload)
    ++first_reload;
  for (std::size_t g = 0; g < program.groups.size(); ++g) {
    GroupPlan& plan = program.groups[g];
    const std::vector<SegmentHeader>& segments = groups[g];
    // Where the schedule outlasts max(XFER, WRITE) + ROW_WRITE, XFER covers it.
    const std::int64_t last_scan =
        g == 0 ? static_cast<std::int64_t>(segments.size()) - 1 - first_reload : -1;
    const std::int64_t schedule = port_reload_cycles(segments, bus, last_scan);
    plan.reload_cycles = std::max(plan.xfer_cycles, plan.write_cycles) + plan.row_write;
    if (schedule > plan.reload_cycles) {
      plan.xfer_cycles = schedule - plan.row_write;
      plan.reload_cycles = schedule;
    }
    program.global.at(xfer_sets.at(g)).imm = plan.xfer_cycles;
  }
}

}  // namespace pimhls::compile
