`default_nettype none
// Testbench top of tb_vector.cpp: two vector engines on one act_memory. Buffers (C, H, W):
//  0 in_a (3,5,6) preloaded   1 in_b (3,5,6) preloaded   2 maxpool (3,3,3)   3 avgpool (3,3,3)
//  4 avgpool incl. pad (3,3,3)   5 gap (3,1,1)   6 add (3,5,6)   7 concat (6,5,6)
//  8 affine (3,5,6)   9 copy of in_a by engine 0 (3,5,6)   10 maxpool of 9 by engine 1 (3,3,3)
//  11 add with a constant table (3,5,6)   12 table lookup of in_a by engine 0 (3,5,6)
//  13 in_a times the gap (a gate per channel) (3,5,6)   14 in_a times in_b (3,5,6)
//  15 maxpool 2 upsampled 2x2, its first five rows (3,5,6)   16 maxpool 2 zero-inserted (3,5,5)
//  17 channels 2..4 of the concat (3,5,6)   18 the concat's channels shuffled (6,5,6)
//  19 rows 1, 3 and columns 1, 3, 5 of in_a (3,2,3)   20 in_a plus the gap (a vector per channel) (3,5,6)
//  21 channel 1 of in_a (1,5,6)   22 in_a times 21 (3,5,6)   23 in_a plus 21 (3,5,6)   24 the concat's max (1,5,6)
//  25 in_a reflect-padded 2 top/left, 1 bottom/right (3,8,9)   26 edge-padded 3 top/left (3,8,9)
//  27 edge-padded 1 top/left, 4 bottom/right (3,10,11)
//  28 maxpool of in_a zero-padded 1 (3,3,3)   29 in_a zero-padded 2 top/left, 1 bottom/right (3,8,9)
//  30 the concat upsampled 2x2 with channels per block phase (DepthToSpace) (3,10,12)
//  31 the max of the gap's channels (1,1,1)   32 in_a times 31 (3,5,6)   33 in_a plus 31 (3,5,6)
//  34 the max of each row of in_a (3,5,1)   35 the mean of each column (3,1,6)
//  36 in_a times 34 (3,5,6)   37 in_a plus 35 (3,5,6)
//  38 in_a resampled to 4x9 (RESAMPLE, 2x2 taps) (3,4,9)   39 the same, 1x2 taps (3,4,9)
module tb_vector_top #(
    parameter PROGRAM0 = "",
    parameter PROGRAM1 = "",
    parameter DATA0 = "",
    parameter DATA1 = ""
) (
    input wire logic clk,
    input wire logic rst_n,
    input wire logic [15:0] groups_started,
    input wire logic host_wr_en,
    input wire logic [11:0] host_addr,
    input wire logic [31:0] host_wr_data,
    output logic [31:0] host_rd_data,
    output logic [1:0] done_pulse,
    output logic [1:0] halted,
    output logic [1:0] error,
    output logic [1:0] wr_done,
    output logic [31:0] wr_pixel_0,
    output logic [31:0] wr_pixel_1,
    output logic [15:0] wr_buf_0,
    output logic [15:0] wr_buf_1
);
  localparam int NBUF = 40;
  localparam int KH = 5, KW = 6, TAPS = 30;  // GAP over 5x6 reads 30 taps
  localparam int PB = 16, CB = 16, BB = 8;
  // pixels and channels per buffer (field b = buffer b)
  localparam logic [NBUF*32-1:0] PIXELS = {32'd36, 32'd36, 32'd30, 32'd30, 32'd6, 32'd5, 32'd30, 32'd30, 32'd1, 32'd120, 32'd72, 32'd9, 32'd110, 32'd72, 32'd72, 32'd30, 32'd30, 32'd30, 32'd30, 32'd30, 32'd6, 32'd30, 32'd30, 32'd25, 32'd30, 32'd30, 32'd30, 32'd30, 32'd30, 32'd9, 32'd30, 32'd30, 32'd30, 32'd30,
                                           32'd1, 32'd9, 32'd9, 32'd9, 32'd30, 32'd30};
  localparam logic [NBUF*32-1:0] CHANS = {32'd3, 32'd3, 32'd3, 32'd3, 32'd3, 32'd3, 32'd3, 32'd3, 32'd1, 32'd3, 32'd3, 32'd3, 32'd3, 32'd3, 32'd3, 32'd1, 32'd3, 32'd3, 32'd1, 32'd3, 32'd3, 32'd6, 32'd3, 32'd3, 32'd3, 32'd3, 32'd3, 32'd3, 32'd3, 32'd3, 32'd3, 32'd3, 32'd6, 32'd3, 32'd3,
                                          32'd3, 32'd3, 32'd3, 32'd3, 32'd3};
  localparam logic [NBUF*32-1:0] WRITERS = {NBUF{32'd1}};
  localparam logic [NBUF*32-1:0] BASE = {32'd3751, 32'd3643, 32'd3553, 32'd3463, 32'd3445, 32'd3430, 32'd3340, 32'd3250, 32'd3249, 32'd2889, 32'd2673, 32'd2646, 32'd2316, 32'd2100, 32'd1884, 32'd1854, 32'd1764, 32'd1674, 32'd1644, 32'd1554, 32'd1536, 32'd1356, 32'd1266, 32'd1191, 32'd1101, 32'd1011, 32'd921, 32'd831, 32'd741, 32'd714, 32'd624, 32'd534, 32'd354, 32'd264,
                                         32'd261, 32'd234, 32'd207, 32'd180, 32'd90, 32'd0};
  localparam logic [NBUF*32-1:0] PBASE = {32'd1231, 32'd1195, 32'd1165, 32'd1135, 32'd1129, 32'd1124, 32'd1094, 32'd1064, 32'd1063, 32'd943, 32'd871, 32'd862, 32'd752, 32'd680, 32'd608, 32'd578, 32'd548, 32'd518, 32'd488, 32'd458, 32'd452, 32'd422, 32'd392, 32'd367, 32'd337, 32'd307, 32'd277, 32'd247, 32'd217, 32'd208, 32'd178, 32'd148, 32'd118, 32'd88,
                                          32'd87, 32'd78, 32'd69, 32'd60, 32'd30, 32'd0};
  localparam int WORDS = 3859;
  localparam int VALID = 1267;

  localparam int CHL = 6, RDE = (TAPS + 1) * CHL, VQE = TAPS + 1 + 2;
  logic [2*RDE*BB-1:0] rd_buf;
  logic [2*RDE*PB-1:0] rd_pixel;
  logic [2*RDE*CB-1:0] rd_channel;
  logic [2*RDE*32-1:0] rd_data;
  logic [2*RDE-1:0] rd_en, rd_valid;
  logic [2*VQE*BB-1:0] vq_buf;
  logic [2*VQE*PB-1:0] vq_pixel;
  logic [2*VQE-1:0] vq_valid;
  logic [2*VQE-1:0] vq_all;
  logic [1:0] wr_en;
  logic [2*CHL-1:0] wr_mask;
  logic [2*BB-1:0] wr_buf;
  logic [2*PB-1:0] wr_pixel;
  logic [2*CB-1:0] wr_channel;
  logic [2*CHL*32-1:0] wr_data;

  act_memory #(
      .NBUF(NBUF),
      .WORDS(WORDS),
      .VALID_BITS(VALID),
      .BUF_BASE(BASE),
      .BUF_PIXEL_BASE(PBASE),
      .BUF_PIXELS(PIXELS),
      .BUF_C(CHANS),
      .BUF_WRITERS(WRITERS),
      .BUF_PRELOADED(40'b11),
      .RD_LANES(2 * RDE),
      .VQ_LANES(2 * VQE),
      .WR_PORTS(2),
      .WR_LANES(CHL),
      .BUF_BITS(BB),
      .PIX_BITS(PB),
      .CH_BITS(CB)
  ) memory (
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
      .host_rd_data
  );

  for (genvar e = 0; e < 2; e++) begin : g_engine
    engine_vector #(
        .ROM_DEPTH(2048),
        .PROGRAM_FILE(e == 0 ? PROGRAM0 : PROGRAM1),
        .DATA_DEPTH(256),
        .DATA_FILE(e == 0 ? DATA0 : DATA1),
        .MAX_KH(KH),
        .MAX_KW(KW),
        .CH_LANES(CHL),
        .HAS_LUT(e == 0),
        .HAS_MUL(e == 1),
        .HAS_RESAMPLE(e == 1),
        .BUF_BITS(BB),
        .PIX_BITS(PB),
        .CH_BITS(CB)
    ) engine (
        .clk,
        .rst_n,
        .groups_started,
        .done_pulse(done_pulse[e]),
        .halted(halted[e]),
        .error(error[e]),
        .rd_buf(rd_buf[e*RDE*BB+:RDE*BB]),
        .rd_pixel(rd_pixel[e*RDE*PB+:RDE*PB]),
        .rd_channel(rd_channel[e*RDE*CB+:RDE*CB]),
        .rd_en(rd_en[e*RDE+:RDE]),
        .rd_data(rd_data[e*RDE*32+:RDE*32]),
        .rd_valid(rd_valid[e*RDE+:RDE]),
        .vq_buf(vq_buf[e*VQE*BB+:VQE*BB]),
        .vq_pixel(vq_pixel[e*VQE*PB+:VQE*PB]),
        .vq_valid(vq_valid[e*VQE+:VQE]),
        .vq_all(vq_all[e*VQE+:VQE]),
        .wr_en(wr_en[e]),
        .wr_buf(wr_buf[e*BB+:BB]),
        .wr_pixel(wr_pixel[e*PB+:PB]),
        .wr_channel(wr_channel[e*CB+:CB]),
        .wr_mask(wr_mask[e*CHL+:CHL]),
        .wr_data(wr_data[e*CHL*32+:CHL*32]),
        .wr_done(wr_done[e])
    );
  end

  always_comb begin
    wr_pixel_0 = 32'(wr_pixel[0+:PB]);
    wr_pixel_1 = 32'(wr_pixel[PB+:PB]);
    wr_buf_0 = 16'(wr_buf[0+:BB]);
    wr_buf_1 = 16'(wr_buf[BB+:BB]);
  end
endmodule
`default_nettype wire
