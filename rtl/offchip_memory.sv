`default_nettype none
// The off-chip weight memory as the testbench models it (docs/rtl.md, "Control"): WORDS 64-bit
// words loaded with $readmemh from IMAGE_FILE (mem/offchip.hex of docs/isa.md), LANES
// combinational read lanes (addresses past WORDS read 0). Not part of the chip: a simulation
// top may instantiate it, or the harness answers offchip_port's addresses itself; an ASIC or
// FPGA flow connects offchip_port to its memory controller instead.
module offchip_memory #(
    parameter int WORDS = 1,
    parameter int LANES = 1,
    parameter IMAGE_FILE = ""
) (
    input wire logic [LANES*32-1:0] addr,
    output logic [LANES*64-1:0] data
);
  localparam int AddrBits = WORDS > 1 ? $clog2(WORDS) : 1;
  logic [63:0] mem[WORDS];

  initial begin
    for (int i = 0; i < WORDS; i++) mem[i] = '0;
    if (IMAGE_FILE != "") $readmemh(IMAGE_FILE, mem);
  end

  always_comb
    for (int l = 0; l < LANES; l++)
      data[l*64+:64] = addr[l*32+:32] < WORDS ? mem[AddrBits'(addr[l*32+:32])] : 64'd0;
endmodule
`default_nettype wire
