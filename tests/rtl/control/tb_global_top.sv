`default_nettype none
// Testbench top of tb_global.cpp: the global controller, the off-chip port and memory, and a
// row sink standing for the arrays of tiles 0..3 (4 arrays each, 16 rows of 2 words; a row write
// keeps an array busy for WRITE_CYCLES cycles). The engines' DONE pulses come from the testbench.
module tb_global_top #(
    parameter PROGRAM = "",
    parameter IMAGE = "",
    parameter int IMAGE_WORDS = 8192,
    parameter int LANES = 2,  // fewer than a group's segments: the port picks
    parameter int BITS_PER_CYCLE = 128,
    parameter int WRITE_CYCLES = 3
) (
    input wire logic clk,
    input wire logic rst_n,
    input wire logic [1:0] engine_done_pulse,
    output logic [15:0] groups_started,
    output logic done,
    output logic error,
    output logic reload_overrun,
    output logic reload_busy,
    output logic [63:0] measured_cycles,
    input wire logic [7:0] peek_array,  // tile * 4 + array
    input wire logic [3:0] peek_row,
    output logic [127:0] peek_data,
    output logic [7:0] peek_writes
);
  localparam int RB = 128, MW = (RB + 63) / 64 + 1;  // row bits; words a row may straddle
  logic reload_start;
  logic [47:0] reload_words;
  logic [63:0] cycle;
  logic [(2+LANES*MW)*32-1:0] mem_addr;
  logic [(2+LANES*MW)*64-1:0] mem_data;
  logic [LANES-1:0] rl_valid, rl_ready;
  logic [LANES*4-1:0] rl_tiles;  // tile masks of the 4 tiles
  logic [LANES*16-1:0] rl_row;
  logic [LANES*8-1:0] rl_array;
  logic [LANES*RB-1:0] rl_data;

  global_controller #(
      .ENGINES(2),
      .ROM_DEPTH(512),
      .PROGRAM_FILE(PROGRAM)
  ) controller (
      .clk,
      .rst_n,
      .engine_done_pulse,
      .groups_started,
      .reload_start,
      .reload_words,
      .reload_busy,
      .done,
      .error,
      .reload_overrun,
      .cycle,
      .measured_cycles
  );

  offchip_memory #(
      .WORDS(IMAGE_WORDS),
      .LANES(2 + LANES * MW),
      .IMAGE_FILE(IMAGE)
  ) memory (
      .addr(mem_addr),
      .data(mem_data)
  );

  offchip_port #(
      .BITS_PER_CYCLE(BITS_PER_CYCLE),
      .IMAGE_WORDS(IMAGE_WORDS),
      .MAX_SEGMENTS(8),
      .RELOAD_LANES(LANES),
      .ROW_BITS(RB),
      .CHIP_TILES(4)
  ) port (
      .clk,
      .rst_n,
      .reload_start,
      .reload_words,
      .reload_busy,
      .mem_addr,
      .mem_data,
      .rl_valid,
      .rl_tiles,
      .rl_array,
      .rl_row,
      .rl_data,
      .rl_ready
  );

  // the row sink
  logic [127:0] rows[16*16];
  logic [7:0] writes[16*16];
  logic [7:0] busy[16];
  always_comb begin
    for (int l = 0; l < LANES; l++) begin
      rl_ready[l] = 1'b1;
      for (int t = 0; t < 4; t++)
        if (rl_tiles[l*4+t] && busy[{2'(t), rl_array[l*8+:2]}] != 8'd0) rl_ready[l] = 1'b0;
    end
    peek_data = rows[{peek_array[3:0], peek_row}];
    peek_writes = writes[{peek_array[3:0], peek_row}];
  end
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      for (int a = 0; a < 16; a++) busy[a] = 8'd0;
      for (int i = 0; i < 256; i++) writes[i] = 8'd0;
    end else begin
      for (int a = 0; a < 16; a++) if (busy[a] != 8'd0) busy[a] = busy[a] - 8'd1;
      for (int l = 0; l < LANES; l++) begin
        for (int t = 0; t < 4; t++) begin
          if (rl_valid[l] && rl_ready[l] && rl_tiles[l*4+t]) begin
            rows[{{2'(t), rl_array[l*8+:2]}, rl_row[l*16+:4]}] = rl_data[l*RB+:128];
            writes[{{2'(t), rl_array[l*8+:2]}, rl_row[l*16+:4]}] =
                writes[{{2'(t), rl_array[l*8+:2]}, rl_row[l*16+:4]}] + 8'd1;
            busy[{2'(t), rl_array[l*8+:2]}] = 8'(WRITE_CYCLES - 1);  // as pim_array
          end
        end
      end
    end
  end
  /* verilator lint_on BLKSEQ */

  logic unused_ok;
  always_comb unused_ok = ^{cycle, peek_array[7:4], rl_row, rl_array};
endmodule
`default_nettype wire
