`default_nettype none
// Instruction / data ROM: DEPTH words of WIDTH bits, loaded with $readmemh from INIT_FILE (an
// untyped parameter holding the file name as a string; one word per line in hex, 16 digits for
// 64-bit words; `//` comment lines are skipped by $readmemh). Words past the end of the file
// and addresses past DEPTH read 0. The read is combinational: a controller fetches and decodes
// an instruction in the same cycle (docs/rtl.md, "Control"). LANES > 1 reads the LANES
// consecutive words addr .. addr + LANES - 1 (lane l in data[l*WIDTH +: WIDTH]); with GATHER,
// lane l reads the word at its own address addr[l*AddrBits +: AddrBits] (a vector engine's
// table lookup, one per channel).
module rom #(
    parameter int WIDTH = 64,
    parameter int DEPTH = 16,
    parameter int LANES = 1,
    parameter bit GATHER = 1'b0,
    parameter INIT_FILE = "",
    localparam int AddrBits = DEPTH > 1 ? $clog2(DEPTH) : 1,
    localparam int AddrLanes = GATHER ? LANES : 1
) (
    input wire logic [AddrLanes*AddrBits-1:0] addr,
    output logic [LANES*WIDTH-1:0] data
);
  logic [WIDTH-1:0] mem[DEPTH];

  initial begin
`ifndef SYNTHESIS
    // (Yosys 0.23, which defines SYNTHESIS, would apply this fill after $readmemh and lose the
    // contents; a generated design's ROM files hold all DEPTH words)
    for (int i = 0; i < DEPTH; i++) mem[i] = '0;
`endif
    if (INIT_FILE != "") $readmemh(INIT_FILE, mem);
  end

  // Lanes past DEPTH always read 0: one fill, not a loop of every lane (a vector engine's table
  // ROM of one word is read 2 * CH_LANES wide).
  localparam int ReadLanes = LANES < DEPTH ? LANES : DEPTH;
  /* verilator lint_off WIDTHCONCAT */  // ('0 fills wider than 8k bits are intended)
  if (GATHER) begin : gather
    always_comb
      for (int l = 0; l < LANES; l++)
        data[l*WIDTH+:WIDTH] = 32'(addr[l*AddrBits+:AddrBits]) < DEPTH ?
            mem[addr[l*AddrBits+:AddrBits]] : '0;
  end else begin : consecutive
    always_comb begin
      if (ReadLanes < LANES) data = '0;
      for (int l = 0; l < ReadLanes; l++)
        data[l*WIDTH+:WIDTH] = 32'(addr) + l < DEPTH ? mem[AddrBits'(32'(addr) + l)] : '0;
    end
  end
  /* verilator lint_on WIDTHCONCAT */
endmodule
`default_nettype wire
