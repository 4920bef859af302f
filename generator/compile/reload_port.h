#pragma once
// The off-chip weight port as the compiler sees it (rtl/offchip_port.sv, docs/rtl.md
// "Control"): the reload bus's shape, and the port's row schedule, cycle by cycle. The RELOAD
// formula max(XFER, WRITE) + ROW_WRITE is the cost model's; when the port's schedule is longer
// (both bounds tight: the lanes' picks leave a segment's last rows for the end), the compiler
// raises XFER to the schedule, so the ISA's RELOAD never ends before the port.
#include <cstdint>
#include <vector>

#include "compile/design_info.h"
#include "compile/isa.h"
#include "compile/program.h"
#include "hw/library.h"

namespace pimhls::compile {

// The most segments one RELOAD writes (the port's segment queue) and the narrowest row of any
// segment (0: no rows).
struct ReloadShape {
  std::int64_t max_segments = 1, min_row_bits = 0;
};
ReloadShape reload_shape(const std::vector<std::vector<SegmentHeader>>& groups);
ReloadShape reload_shape(const Program& program);

// Every group's segment headers, in image order (program.offchip, cut by reload_words).
std::vector<std::vector<SegmentHeader>> group_segments(const Program& program);

// Lanes of the reload bus: the rows the bandwidth pays in a cycle (of the narrowest row) plus
// one, at most the most segments a RELOAD writes (a segment writes one row at a time).
std::int64_t reload_lanes(const ReloadShape& shape, std::int64_t bits_per_cycle);

// Bits of the reload bus's row: the widest array row of the chip's weight engines (>= 64).
std::int64_t reload_row_bits(const Program& program, const DesignInfo& design,
                             const hw::Library& library);

struct PortBus {
  std::int64_t lanes = 1, row_bits = 64, bits_per_cycle = 64;
};

// Cycles from a RELOAD's issue until the global controller may issue the next instruction
// because the port has accepted every row of `segments` (image order). The port scans one
// header per cycle ahead of the RELOADs, from reset on: `last_scan` is the cycle (from the
// RELOAD's issue) in which it scans the reload's last header; negative: before the RELOAD (a
// later group's headers are scanned during the group before).
std::int64_t port_reload_cycles(const std::vector<SegmentHeader>& segments, const PortBus& bus,
                                std::int64_t last_scan = -1);

// Sets every group's reload_cycles, raising XFER_CYCLES (its SET in the global program at
// xfer_sets[g]) where the port's schedule outlasts max(XFER, WRITE) + ROW_WRITE.
void fit_reloads_to_port(Program& program, const std::vector<std::size_t>& xfer_sets,
                         std::int64_t row_bits);

}  // namespace pimhls::compile
