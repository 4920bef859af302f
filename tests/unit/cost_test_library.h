#pragma once
// A small hardware library with round numbers, so that the cost tests can compute every term
// by hand. Clock 0.5 GHz: 1 cycle = 2 ns, so ns-to-cycle rounding is exercised.
#include "hw/library.h"

namespace pimhls::test {

inline constexpr const char* kTestLibrary = R"(
[arithmetic]
weight_bits = 8
activation_bits = 8
activation_encoding = "unsigned"
accumulator_bits = 24

[chip]
clock_ghz = 0.5
offchip_bandwidth_gbyte_per_s = 8.0   # 64 bits/ns = 128 bits/cycle
offchip_energy_pj_per_bit = 10.0
global_buffer_kib = 64
controller_area_um2 = 1000.0
leakage_mw_per_mm2 = 1.0

[chip.buffer]
area_um2_per_kib = 100.0
energy_pj_per_bit = 0.5

[chip.noc]
topology = "mesh"
flit_bits = 64
hop_latency_cycles = 3
router_area_um2 = 4000.0
tiles_per_router = 4
router_energy_pj_per_flit = 6.4

[readout.adc6]
kind = "adc"
bits = 6
area_um2 = 100.0
energy_pj = 2.0
latency_ns = 9.0      # 4.5 cycles -> 5

[readout.tree]
kind = "digital"
bits = 6
area_um2 = 50.0
energy_pj = 0.5
latency_ns = 2.0

[dac.d1]
bits = 1
area_um2 = 1.0
energy_pj = 0.5
latency_ns = 1.0

[dac.d2]
bits = 2
area_um2 = 2.0
energy_pj = 1.0
latency_ns = 1.0

[tile.t]
description = "test tile"
cell_area_um2 = 0.5
bits_per_cell = 2
weight_encoding = "offset"
readout = "adc6"
dac = "d1"
array_sizes = [16, 32, 64]
adcs_per_array = [1, 2, 4, 8]
baseline_array_size = 32
baseline_adcs_per_array = 4
parallel_rows = 8
arrays_per_tile = 4
read_latency_ns = 3.0             # with the DAC: 4 ns = 2 cycles
read_energy_pj_per_cell = 0.01
write_latency_ns_per_row = 20.0   # 10 cycles
write_energy_pj_per_cell = 1.0
driver_area_um2_per_row = 2.0
leakage_mw_per_mm2 = 2.0
shift_add_area_um2 = 10.0
shift_add_energy_pj = 0.1
shift_add_cycles = 1
accumulator_lanes = 4
accumulator_area_um2_per_lane = 5.0
accumulator_energy_pj_per_add = 0.2
accumulator_cycles = 1
input_buffer_kib = 2.0
output_buffer_kib = 1.0
input_bus_bits = 32
)";

inline const hw::Library& test_library() {
  static const hw::Library library = hw::parse_library(kTestLibrary, "test.toml");
  return library;
}

}  // namespace pimhls::test
