`default_nettype none
// Testbench top of tb_weight.cpp: one weight engine (tiles 2..6, 4 arrays each of 16x16, 2-bit cells,
// 8 rows per ADC sample, 4 ADCs of 5 bits, clip) on an act_memory with buffers
//  0: input (3 channels, 5x5), preloaded   1: output (6 channels, 5x5)
//  2: partial sums (6 channels, 5x5)       3: output of the row-split pair (6 channels, 5x5)
// The engine writes the chip memory and reads an input memory (act_memory holding buffers 0
// and 2 only, packed at words 0 and 75), as in the generated top: its results and timing
// hold only if the input memory follows the chip memory's contents and valid bits.
// The reload bus is driven by the testbench (one row per cycle, one tile: its mask bit).
module tb_weight_top #(
    parameter PROGRAM = "",
    parameter DATA = ""
) (
    input wire logic clk,
    input wire logic rst_n,
    input wire logic [15:0] groups_started,
    input wire logic host_wr_en,
    input wire logic [9:0] host_addr,
    input wire logic [31:0] host_wr_data,
    output logic [31:0] host_rd_data,
    output logic done_pulse,
    output logic halted,
    output logic error,
    output logic late,
    output logic [1:0] wr_done,
    output logic [31:0] wr_pixel_0,
    output logic [31:0] wr_pixel_1,
    input wire logic rl_valid,
    input wire logic [15:0] rl_tile,
    input wire logic [7:0] rl_array,
    input wire logic [15:0] rl_row,
    input wire logic [31:0] rl_data,
    output logic rl_ready
);
  localparam int NBUF = 4, C = 2, OUTL = 8, RDL = C * (3 * 4 + OUTL), VQL = C * 10;
  localparam int PB = 16, CB = 16, BB = 8;
  localparam logic [NBUF*32-1:0] PIXELS = {32'd25, 32'd25, 32'd25, 32'd25};
  localparam logic [NBUF*32-1:0] CHANS = {32'd6, 32'd6, 32'd6, 32'd3};
  localparam logic [NBUF*32-1:0] BASE = {32'd375, 32'd225, 32'd75, 32'd0};
  localparam logic [NBUF*32-1:0] PBASE = {32'd75, 32'd50, 32'd25, 32'd0};

  logic [RDL*BB-1:0] rd_buf;
  logic [RDL*PB-1:0] rd_pixel;
  logic [RDL*CB-1:0] rd_channel;
  logic [RDL*32-1:0] rd_data;
  logic [RDL-1:0] rd_en;
  logic [RDL-1:0] rd_valid;
  logic [VQL*BB-1:0] vq_buf;
  logic [VQL*PB-1:0] vq_pixel;
  logic [VQL-1:0] vq_valid;
  logic [VQL-1:0] vq_all;
  logic [C-1:0] wr_en;
  logic [C*BB-1:0] wr_buf;
  logic [C*PB-1:0] wr_pixel;
  logic [C*CB-1:0] wr_channel;
  logic [C*OUTL-1:0] wr_mask;
  logic [C*OUTL*32-1:0] wr_data;

  logic [31:0] chip_rd_data, inputs_host_rd_data;
  logic chip_rd_valid, chip_vq_valid, chip_vq_all;
  act_memory #(
      .NBUF(NBUF),
      .WORDS(525),
      .VALID_BITS(100),
      .BUF_BASE(BASE),
      .BUF_PIXEL_BASE(PBASE),
      .BUF_PIXELS(PIXELS),
      .BUF_C(CHANS),
      .BUF_WRITERS({NBUF{32'd1}}),
      .BUF_PRELOADED(4'b0001),
      .RD_LANES(1),
      .VQ_LANES(1),
      .WR_PORTS(C),
      .WR_LANES(OUTL),
      .BUF_BITS(BB),
      .PIX_BITS(PB),
      .CH_BITS(CB)
  ) chip (
      .clk,
      .rst_n,
      .rd_buf('0),
      .rd_pixel('0),
      .rd_channel('0),
      .rd_en(1'b0),
      .rd_data(chip_rd_data),
      .rd_valid(chip_rd_valid),
      .vq_buf('0),
      .vq_pixel('0),
      .vq_valid(chip_vq_valid),
      .vq_all(chip_vq_all),
      .wr_en,
      .wr_buf,
      .wr_pixel,
      .wr_channel,
      .wr_mask,
      .wr_data,
      .wr_done,
      .host_wr_en,
      .host_addr,
      .host_wr_data,
      .host_rd_data
  );

  act_memory #(
      .NBUF(NBUF),
      .WORDS(225),
      .VALID_BITS(50),
      .BUF_BASE({32'd0, 32'd75, 32'd0, 32'd0}),
      .BUF_PIXEL_BASE({32'd0, 32'd25, 32'd0, 32'd0}),
      .BUF_PIXELS(PIXELS),
      .BUF_C(CHANS),
      .BUF_WRITERS({NBUF{32'd1}}),
      .BUF_PRELOADED(4'b0001),
      .BUF_HELD(4'b0101),
      .HOST_BASE(BASE),
      .HOST_WORDS(525),
      .RD_LANES(RDL),
      .VQ_LANES(VQL),
      .WR_PORTS(C),
      .WR_LANES(OUTL),
      .BUF_BITS(BB),
      .PIX_BITS(PB),
      .CH_BITS(CB)
  ) inputs (
      .clk,
      .rst_n,
      .rd_buf,
      .rd_pixel,
      .rd_channel,
      .rd_en,
      .rd_data,
      .rd_valid,
      .vq_buf,
      .vq_pixel,
      .vq_valid,
      .vq_all,
      .wr_en,
      .wr_buf,
      .wr_pixel,
      .wr_channel,
      .wr_mask,
      .wr_data,
      .wr_done,
      .host_wr_en,
      .host_addr,
      .host_wr_data,
      .host_rd_data(inputs_host_rd_data)
  );

  engine_weight #(
      .ROM_DEPTH(256),
      .PROGRAM_FILE(PROGRAM),
      .DATA_DEPTH(64),
      .DATA_FILE(DATA),
      .FIRST_TILE(2),
      .TILES(5),
      .ARRAYS_PER_TILE(4),
      .ROWS(16),
      .COLS(16),
      .BITS_PER_CELL(2),
      .DAC_BITS(1),
      .INPUT_BITS(8),
      .PARALLEL_ROWS(8),
      .ADCS(4),
      .ADC_BITS(5),
      .ADC_MODE(0),
      .READ_CYCLES(1),
      .CONV_CYCLES(1),
      .WRITE_CYCLES(2),
      .LOAD_LANES(4),
      .MAX_COPIES(C),
      .MAX_ROW_ARRAYS(3),
      .MAX_ROW_BLOCKS(3),
      .OUT_LANES(OUTL),
      .MAX_KH(3),
      .MAX_KW(3),
      .BUF_BITS(BB),
      .PIX_BITS(PB),
      .CH_BITS(CB),
      .RELOAD_LANES(1),
      .ROW_BITS(32),
      .CHIP_TILES(8)
  ) engine (
      .clk,
      .rst_n,
      .groups_started,
      .done_pulse,
      .halted,
      .error,
      .late,
      .rd_buf,
      .rd_pixel,
      .rd_channel,
      .rd_en,
      .rd_data,
      .vq_buf,
      .vq_pixel,
      .vq_valid,
      .vq_all,
      .wr_en,
      .wr_buf,
      .wr_pixel,
      .wr_channel,
      .wr_mask,
      .wr_data,
      .wr_done,
      .rl_valid,
      .rl_tiles(8'd1 << rl_tile[2:0]),
      .rl_array,
      .rl_row,
      .rl_data,
      .rl_ready
  );

  always_comb begin
    wr_pixel_0 = 32'(wr_pixel[0+:PB]);
    wr_pixel_1 = 32'(wr_pixel[PB+:PB]);
  end
  logic unused_ok;
  always_comb
    unused_ok = ^{rd_valid, wr_buf, wr_channel, rl_tile[15:3], chip_rd_data, chip_rd_valid,
                  chip_vq_valid, chip_vq_all, inputs_host_rd_data};
endmodule
`default_nettype wire
