`default_nettype none
// A vector engine (docs/isa.md, "Vector engine"; docs/rtl.md, "Control"): runs its program
// (engine_sequencer) and, per RUN, one output pixel per PIXEL_CYCLES cycles, pixel-major, with
// the integer kernels of quant/int_ops.cpp: MAXPOOL, AVGPOOL, GAP, ADD, COPY (Relu/Clip, Concat
// pieces, with FLAGS[4] a gather of channels), AFFINE, CONCAT, LUT (a table on codes, HAS_LUT:
// one data-ROM read per channel), MUL and ADD (IN2_BUF of the same shape, with FLAGS[2] one
// pixel: a value per channel, with FLAGS[5] one channel: a value per pixel, with both one
// value; with FLAGS[8] a pixel per output row, with FLAGS[9] per output column), CMAX (the max
// over the IN_C channels of a pixel into channel 0; CH_LANES >= IN_C), RESAMPLE (HAS_RESAMPLE: a
// 2x2 window at the row and column its table words list, weighted). All channels of a pixel
// (CH_LANES >= OUT_C_CNT) and all taps of its window (MAX_KH x MAX_KW; a GAP's window is its
// whole input plane) are read in the pixel's first cycle: read lane t * CH_LANES + j is tap
// t = ky * MAX_KW + kx, channel j; lanes TAPS * CH_LANES + j read IN2_BUF. Valid queries: lane
// t = tap t (lane 0: pixel p for the element-wise ops), lane TAPS = IN2_BUF's pixel. Arithmetic
// is 64-bit, as the C++ int64.
// Timing (docs/isa.md RUN): pixel p occupies first(p) .. first(p) + PIXEL_CYCLES - 1, first(p)
// = the first cycle after the previous pixel in which its input pixels are valid; it is
// written (all channels, one write) and marked done in its last cycle.
module engine_vector #(
    parameter int ROM_DEPTH = 16,
    parameter PROGRAM_FILE = "",
    parameter int DATA_DEPTH = 1,
    parameter DATA_FILE = "",
    parameter int MAX_KH = 1,
    parameter int MAX_KW = 1,
    parameter int CH_LANES = 1,
    parameter int MAX_INPUTS = 2,  // CONCAT inputs (<= CH_LANES)
    parameter bit HAS_LUT = 1'b0,  // a RUN with OP = LUT (a table read per channel lane)
    parameter bit HAS_MUL = 1'b0,  // a RUN with OP = MUL (two multipliers per channel lane)
    parameter bit HAS_RESAMPLE = 1'b0,  // a RUN with OP = RESAMPLE (a multiplier per tap and lane)
    parameter int BUF_BITS = 8,
    parameter int PIX_BITS = 16,
    parameter int CH_BITS = 16,
    localparam int DataAddrBits = DATA_DEPTH > 1 ? $clog2(DATA_DEPTH) : 1,
    localparam int TAPS = MAX_KH * MAX_KW,
    localparam int RD_LANES = (TAPS + 1) * CH_LANES,
    localparam int VQ_LANES = TAPS + 1 + MAX_INPUTS
) (
    input wire logic clk,
    input wire logic rst_n,
    input wire logic [15:0] groups_started,
    output logic done_pulse,
    output logic halted,
    output logic error,
    // act_memory: RD_LANES read lanes, VQ_LANES valid queries, one write port of CH_LANES
    output logic [RD_LANES*BUF_BITS-1:0] rd_buf,
    output logic [RD_LANES*PIX_BITS-1:0] rd_pixel,
    output logic [RD_LANES*CH_BITS-1:0] rd_channel,
    output logic [RD_LANES-1:0] rd_en,  // the lanes the write cycle's values read
    input wire logic [RD_LANES*32-1:0] rd_data,
    input wire logic [RD_LANES-1:0] rd_valid,
    output logic [VQ_LANES*BUF_BITS-1:0] vq_buf,
    output logic [VQ_LANES*PIX_BITS-1:0] vq_pixel,
    input wire logic [VQ_LANES-1:0] vq_valid,
    input wire logic [VQ_LANES-1:0] vq_all,
    output logic wr_en,
    output logic [BUF_BITS-1:0] wr_buf,
    output logic [PIX_BITS-1:0] wr_pixel,
    output logic [CH_BITS-1:0] wr_channel,
    output logic [CH_LANES-1:0] wr_mask,
    output logic [CH_LANES*32-1:0] wr_data,
    output logic wr_done
);
  // '0 fills of lane vectors wider than 8k bits are intended (big designs have many lanes)
  /* verilator lint_off WIDTHCONCAT */
  localparam logic [7:0] OpMaxPool = 8'd1, OpAvgPool = 8'd2, OpGap = 8'd3, OpAdd = 8'd4,
      OpCopy = 8'd5, OpAffine = 8'd6, OpConcat = 8'd7, OpLut = 8'd8, OpMul = 8'd9,
      OpCMax = 8'd10, OpResample = 8'd11;

  // ---- program
  logic set_valid, run_start, run_done;
  logic [7:0] set_reg;
  logic [63:0] set_value;
  logic [15:0] section;
  logic [63:0] regs[128], set_regs[128];

  engine_sequencer #(
      .ROM_DEPTH(ROM_DEPTH),
      .PROGRAM_FILE(PROGRAM_FILE)
  ) sequencer (
      .clk,
      .rst_n,
      .groups_started,
      .set_valid,
      .set_reg,
      .set_value,
      .run_start,
      .run_done,
      .done_pulse,
      .halted,
      .error,
      .section
  );

  // Registers read 0 until SET (docs/isa.md: a RUN reads 0 from a register no SET wrote): a
  // reset mask of the registers written gates the file, which itself has no reset (a reset per
  // register, 128 blocks as Verilator wants them, simulated 20% slower).
  logic [127:0] written;
  always_ff @(posedge clk) if (set_valid && !set_reg[7]) set_regs[7'(set_reg)] <= set_value;
  always_ff @(posedge clk)
    if (!rst_n) written <= '0;
    else if (set_valid && !set_reg[7]) written[7'(set_reg)] <= 1'b1;
  always_comb for (int r = 0; r < 128; r++) regs[r] = written[r] ? set_regs[r] : '0;

  // ---- data ROM: 2 * CH_LANES consecutive words per cycle
  logic [DataAddrBits-1:0] table_addr;
  logic [2*CH_LANES*64-1:0] table_words;
  rom #(
      .WIDTH(64),
      .DEPTH(DATA_DEPTH),
      .LANES(2 * CH_LANES),
      .INIT_FILE(DATA_FILE)
  ) data_rom (
      .addr(table_addr),
      .data(table_words)
  );

  // ---- configuration (registers of docs/isa.md)
  logic [7:0] op;
  logic signed [31:0] in_h, in_w, kh, kw, stride_h, stride_w, pad_t, pad_l, pad_b, pad_r;
  logic signed [31:0] dil_h, dil_w, out_w, out_c_cnt, out_c_off, pixel_cycles, up_h, up_w;
  logic signed [31:0] in_c_first, in_c, read_lanes;
  logic signed [63:0] vectors, clamp_min, clamp_max, mul_a, mul_b, table_base;
  logic [5:0] shift;
  logic count_include_pad, add_constant, gather, has_in2, pool, resample;
  always_comb begin
    op = regs[7'h40][7:0];
    in_h = regs[7'h03][31:0];
    in_w = regs[7'h04][31:0];
    // GAP: the window is the whole input plane, one output pixel
    kh = op == OpGap ? in_h : regs[7'h08][31:0];
    kw = op == OpGap ? in_w : regs[7'h09][31:0];
    stride_h = regs[7'h0A][31:0];
    stride_w = regs[7'h0B][31:0];
    pad_t = op == OpGap ? 32'sd0 : regs[7'h0C][31:0];
    pad_l = op == OpGap ? 32'sd0 : regs[7'h0D][31:0];
    dil_h = op == OpGap ? 32'sd1 : regs[7'h0E][31:0];
    dil_w = op == OpGap ? 32'sd1 : regs[7'h0F][31:0];
    pad_b = regs[7'h45][31:0];
    pad_r = regs[7'h46][31:0];
    out_w = regs[7'h15][31:0];
    out_c_cnt = regs[7'h13][31:0];
    out_c_off = regs[7'h12][31:0];
    pixel_cycles = regs[7'h47][31:0];
    up_h = regs[7'h49][31:0];
    up_w = regs[7'h4A][31:0];
    in_c_first = regs[7'h4B][31:0];  // IN_BUF's lanes start there (a slice of channels)
    in_c = regs[7'h02][31:0];
    read_lanes = op == OpCMax ? in_c : out_c_cnt;  // CMAX reads every input channel
    vectors = regs[7'h3C];
    clamp_min = regs[7'h1B];
    clamp_max = regs[7'h1C];
    mul_a = regs[7'h41];
    mul_b = regs[7'h42];
    shift = regs[7'h43][5:0];
    table_base = regs[7'h1A];
    count_include_pad = regs[7'h44][0];
    add_constant = regs[7'h44][1];
    // lane j reads the channel in table word j (COPY), of the block phase's words (MAXPOOL:
    // an Upsample whose channels move into the block's pixels, DepthToSpace)
    gather = (op == OpCopy || op == OpMaxPool) && regs[7'h44][4];
    has_in2 = (op == OpAdd && !add_constant) || op == OpMul;
    resample = op == OpResample;
    pool = op == OpMaxPool || op == OpAvgPool || op == OpGap || resample;
    in_count = regs[7'h48][31:0];
  end

  // LUT: channel lane j reads the word at TABLE + its input code (TABLE addresses code 0)
  logic [CH_LANES*64-1:0] lut_words;
  if (HAS_LUT) begin : lut
    logic [CH_LANES*DataAddrBits-1:0] lut_addr;
    always_comb
      for (int j = 0; j < CH_LANES; j++)
        lut_addr[j*DataAddrBits+:DataAddrBits] =
            DataAddrBits'(table_base + 64'($signed(rd_data[j*32+:32])));
    rom #(
        .WIDTH(64),
        .DEPTH(DATA_DEPTH),
        .LANES(CH_LANES),
        .GATHER(1'b1),
        .INIT_FILE(DATA_FILE)
    ) lut_rom (
        .addr(lut_addr),
        .data(lut_words)
    );
  end else begin : no_lut
    assign lut_words = '0;
  end

  // RESAMPLE: the window's first row and the next row's weight in table word oy, its first
  // column and the next one's weight in word OUT_H + ox (a ROM port of their own: the taps'
  // origin must not depend on the data ROM's address, which depends on the taps)
  logic [127:0] axis_words;
  logic [DataAddrBits-1:0] row_addr, column_addr;
  always_comb begin
    row_addr = DataAddrBits'(table_base + 64'(oy));
    column_addr = DataAddrBits'(table_base + 64'(regs[7'h14][31:0]) + 64'(ox));
  end
  if (HAS_RESAMPLE) begin : axes
    rom #(
        .WIDTH(64),
        .DEPTH(DATA_DEPTH),
        .LANES(2),
        .GATHER(1'b1),
        .INIT_FILE(DATA_FILE)
    ) axis_rom (
        .addr({column_addr, row_addr}),
        .data(axis_words)
    );
  end else begin : no_axes
    assign axis_words = '0;
  end
  logic signed [31:0] row_first, column_first;
  logic signed [63:0] row_weight, column_weight;
  always_comb begin
    row_first = axis_words[31:0];
    row_weight = 64'(axis_words[47:32]);
    column_first = axis_words[64+:32];
    column_weight = 64'(axis_words[96+:16]);
  end

  // CONCAT: the input of every channel lane and that input's first output channel
  logic signed [31:0] in_count;
  logic [31:0] concat_input[CH_LANES];
  logic signed [31:0] concat_first[CH_LANES];
  always_comb begin
    for (int j = 0; j < CH_LANES; j++) begin
      logic_first = 32'sd0;
      concat_input[j] = 32'd0;
      concat_first[j] = 32'sd0;
      for (int i = 0; i < MAX_INPUTS; i++) begin
        if (i < in_count && j >= logic_first) begin
          concat_input[j] = 32'(i);
          concat_first[j] = logic_first;
        end
        logic_first = logic_first + 32'(table_words[(2*i)*64+16+:32]);
      end
    end
  end
  logic signed [31:0] logic_first;

  // ---- the run: pixel p = (oy, ox), cycle `phase` of its PIXEL_CYCLES
  logic running;
  logic signed [63:0] p;
  logic signed [31:0] oy, ox, phase;
  // IN2_BUF's pixel: p, or 0 with FLAGS[2] (MUL by a gate, ADD of a vector per channel), the
  // output row with FLAGS[8] (a value per row, [C, H, 1]), the column with FLAGS[9] ([C, 1, W])
  logic [PIX_BITS-1:0] in2_pixel;
  always_comb
    if (has_in2 && regs[7'h44][2]) in2_pixel = '0;
    else if (has_in2 && regs[7'h44][8]) in2_pixel = PIX_BITS'(oy);
    else if (has_in2 && regs[7'h44][9]) in2_pixel = PIX_BITS'(ox);
    else in2_pixel = PIX_BITS'(p);
  // The window's origin row and column (oy / UP_H, ox / UP_W) and the outputs since it moved.
  logic signed [31:0] wy, wx, ry, rx;
  logic signed [31:0] iy[TAPS], ix[TAPS];
  logic [TAPS-1:0] tap_active, tap_inside, tap_padded;
  logic signed [63:0] tap_weight[TAPS];
  logic ready, active, write, last_pixel;
  logic signed [63:0] count;

  // FLAGS[7:6] (MAXPOOL, AVGPOOL): a tap outside the input reads the pixel it folds back to,
  // 1 reflect, 2 edge (a BorderPad: ir/border_pad.h); 0 it stays outside; 3 (MAXPOOL) it reads
  // a zero inside the pads (a zero Pad before the pool, or a zero BorderPad)
  function automatic logic signed [31:0] fold(input logic signed [31:0] i,
                                              input logic signed [31:0] size, input logic [1:0] mode);
    if (mode == 2'd0 || mode == 2'd3 || (i >= 0 && i < size)) fold = i;
    else if (mode == 2'd1) fold = i < 0 ? -i : 2 * (size - 32'sd1) - i;
    else fold = i < 0 ? 32'sd0 : size - 32'sd1;
  endfunction
  logic [1:0] border;
  always_comb
    border = op == OpMaxPool || op == OpAvgPool ? regs[7'h44][7:6] : resample ? 2'd2 : 2'd0;

  always_comb begin
    for (int ky = 0; ky < MAX_KH; ky++) begin
      for (int kx = 0; kx < MAX_KW; kx++) begin
        iy[ky*MAX_KW+kx] = fold(resample ? row_first + ky : wy * stride_h - pad_t + ky * dil_h,
                                in_h, border);
        ix[ky*MAX_KW+kx] = fold(resample ? column_first + kx : wx * stride_w - pad_l + kx * dil_w,
                                in_w, border);
        tap_active[ky*MAX_KW+kx] = ky < kh && kx < kw;
        // RESAMPLE: the tap's weight, (MUL_A - w or w) per axis
        tap_weight[ky*MAX_KW+kx] = (ky == 1 ? row_weight : mul_a - row_weight) *
            (kx == 1 ? column_weight : mul_a - column_weight);
      end
    end
    for (int t = 0; t < TAPS; t++) begin
      tap_inside[t] = tap_active[t] && iy[t] >= 0 && iy[t] < in_h && ix[t] >= 0 && ix[t] < in_w;
      tap_padded[t] = tap_active[t] && iy[t] >= -pad_t && iy[t] < in_h + pad_b &&
          ix[t] >= -pad_l && ix[t] < in_w + pad_r;
    end
    count = 64'sd0;
    for (int t = 0; t < TAPS; t++)
      if (count_include_pad ? tap_padded[t] : tap_inside[t]) count = count + 64'sd1;
    for (int t = 0; t < TAPS; t++)
      tap_pixel[t] = pool ? PIX_BITS'(iy[t] * in_w + ix[t]) : PIX_BITS'(p);
    last_pixel = p == vectors - 1;
  end

  // reads: taps x channels of IN_BUF, then the channels of IN2_BUF at pixel p (blocks of their
  // own: CONCAT takes its buffers from the data ROM, whose address depends on the taps)
  logic [PIX_BITS-1:0] tap_pixel[TAPS];
  always_comb begin
    // valid queries: the taps of IN_BUF, pixel p of IN2_BUF, pixel p of the CONCAT inputs
    for (int t = 0; t < TAPS; t++) begin
      vq_buf[t*BUF_BITS+:BUF_BITS] = regs[7'h01][BUF_BITS-1:0];
      vq_pixel[t*PIX_BITS+:PIX_BITS] = tap_pixel[t];
    end
    for (int i = 0; i < MAX_INPUTS; i++) begin
      vq_buf[(TAPS+1+i)*BUF_BITS+:BUF_BITS] = BUF_BITS'(table_words[(2*i)*64+:16]);
      vq_pixel[(TAPS+1+i)*PIX_BITS+:PIX_BITS] = PIX_BITS'(p);
    end
    vq_buf[TAPS*BUF_BITS+:BUF_BITS] = regs[7'h05][BUF_BITS-1:0];
    vq_pixel[TAPS*PIX_BITS+:PIX_BITS] = in2_pixel;
  end

  // Reads, only in a write cycle (the values are formed then; a block of its own: `write`
  // depends on the queries). rd_en marks the lanes the values use: the output channels, the
  // window's taps inside the input (pools) or tap 0, and IN2_BUF's lanes for ADD; the memory
  // answers 0 on the others and skips them (simulation speed).
  always_comb begin
    rd_buf = '0;
    rd_pixel = '0;
    rd_channel = '0;
    rd_en = '0;
    if (write) begin
      for (int j = 0; j < CH_LANES; j++)
        if (j < read_lanes) begin
          for (int t = 0; t < TAPS; t++) rd_en[t*CH_LANES+j] = pool ? tap_inside[t] : t == 0;
          rd_en[TAPS*CH_LANES+j] = has_in2;
        end
      for (int t = 0; t < TAPS; t++) begin
        for (int j = 0; j < CH_LANES; j++) begin
          rd_buf[(t*CH_LANES+j)*BUF_BITS+:BUF_BITS] = regs[7'h01][BUF_BITS-1:0];
          rd_pixel[(t*CH_LANES+j)*PIX_BITS+:PIX_BITS] = tap_pixel[t];
          rd_channel[(t*CH_LANES+j)*CH_BITS+:CH_BITS] =
              gather ? CH_BITS'(table_words[j*64+:32]) : CH_BITS'(in_c_first + j);
        end
      end
      // CONCAT: channel lane j reads channel j - first(i) of input i (table words 2i, 2i+1)
      if (op == OpConcat) begin
        for (int j = 0; j < CH_LANES; j++) begin
          rd_buf[j*BUF_BITS+:BUF_BITS] = BUF_BITS'(table_words[(2*concat_input[j])*64+:16]);
          rd_channel[j*CH_BITS+:CH_BITS] = CH_BITS'(j - concat_first[j]);
        end
      end
      for (int j = 0; j < CH_LANES; j++) begin
        rd_buf[(TAPS*CH_LANES+j)*BUF_BITS+:BUF_BITS] = regs[7'h05][BUF_BITS-1:0];
        rd_pixel[(TAPS*CH_LANES+j)*PIX_BITS+:PIX_BITS] = in2_pixel;
        // FLAGS[5]: IN2_BUF has one channel (a gate per pixel), read by every lane
        rd_channel[(TAPS*CH_LANES+j)*CH_BITS+:CH_BITS] = regs[7'h44][5] ? '0 : CH_BITS'(j);
      end
    end
  end

  always_comb begin
    // ready: the pixels pixel p reads are valid (checked in its first cycle)
    ready = 1'b1;
    if (op == OpGap) ready = vq_all[0];
    else if (op == OpConcat) begin
      for (int i = 0; i < MAX_INPUTS; i++) if (i < in_count && !vq_valid[TAPS+1+i]) ready = 1'b0;
    end
    else if (pool) begin
      for (int t = 0; t < TAPS; t++) if (tap_inside[t] && !vq_valid[t]) ready = 1'b0;
    end else begin
      ready = vq_valid[0] && (!has_in2 || vq_valid[TAPS]);
    end
    active = running && (phase != 0 || ready);
    write = active && phase == pixel_cycles - 1;
  end

  // the pixel's place in its window's UP_H x UP_W block (a DepthToSpace's table of channels)
  logic signed [31:0] block_phase;
  always_comb block_phase = ry * up_w + rx;

  always_comb begin
    case (op)
      OpAvgPool: table_addr = DataAddrBits'(table_base + count);
      OpAdd: table_addr = DataAddrBits'(table_base + p * 64'(out_c_cnt));
      OpMaxPool: table_addr = DataAddrBits'(table_base + 64'(block_phase) * 64'(out_c_cnt));
      default: table_addr = DataAddrBits'(table_base);
    endcase
  end

  // round(value / 2^s), halves toward +infinity (quant::shift_round)
  function logic signed [63:0] shift_round(input logic signed [63:0] v, input logic [5:0] s);
    if (s == 6'd0) shift_round = v;
    else shift_round = (v + (64'sd1 <<< (s - 6'd1))) >>> s;
  endfunction

  function logic signed [63:0] requant_multiplier(input logic [47:0] word);
    requant_multiplier = {{16{word[47]}}, word[47:0]};
  endfunction

  // output channel j, written straight to the write port (only in write cycles: an idle
  // engine computes nothing; the lane temporaries are scalars, so there is nothing to clear)
  logic signed [63:0] sum, weighted, best, value, x, channel_best;
  logic [63:0] word0, word_c0, word_c1, word_add;
  always_comb begin
    // CMAX: the max over the IN_C channel lanes of tap 0 (pixel p)
    channel_best = 64'($signed(rd_data[31:0]));
    for (int j = 1; j < CH_LANES; j++)
      if (j < in_c && 64'($signed(rd_data[j*32+:32])) > channel_best)
        channel_best = 64'($signed(rd_data[j*32+:32]));
    word0 = table_words[63:0];
    word_c0 = 64'd0;
    word_c1 = 64'd0;
    word_add = 64'd0;
    sum = 64'sd0;
    weighted = 64'sd0;
    best = 64'sd0;
    value = 64'sd0;
    x = 64'sd0;
    wr_en = write;
    wr_buf = regs[7'h10][BUF_BITS-1:0];
    wr_pixel = PIX_BITS'(p);
    wr_channel = CH_BITS'(out_c_off);
    wr_mask = '0;
    wr_data = '0;
    if (write)
      for (int j = 0; j < CH_LANES; j++) begin
        sum = 64'sd0;
        weighted = 64'sd0;
        best = -64'sd2147483648;
        for (int t = 0; t < TAPS; t++) begin
          if (tap_inside[t]) begin
            sum = sum + 64'($signed(rd_data[(t*CH_LANES+j)*32+:32]));
            if (HAS_RESAMPLE)
              weighted = weighted + 64'($signed(rd_data[(t*CH_LANES+j)*32+:32])) * tap_weight[t];
            if (64'($signed(rd_data[(t*CH_LANES+j)*32+:32])) > best)
              best = 64'($signed(rd_data[(t*CH_LANES+j)*32+:32]));
          end else if (border == 2'd3 && tap_padded[t] && best < 64'sd0) begin
            best = 64'sd0;
          end
        end
        x = 64'($signed(rd_data[j*32+:32]));
        word_c0 = table_words[(2*j)*64+:64];
        word_c1 = table_words[(2*j+1)*64+:64];
        word_add = table_words[j*64+:64];
        case (op)
          // FLAGS[3] (ZeroInsert): 0 except where the window's origin has just moved
          OpMaxPool: value = regs[7'h44][3] && (ry != 0 || rx != 0) ? 64'sd0 : best;
          OpAvgPool, OpGap:
          value = shift_round(sum * requant_multiplier(word0[47:0]), word0[53:48]);
          OpAdd:
          value = shift_round(
              x * mul_a + (add_constant ? word_add :
                           64'($signed(rd_data[(TAPS*CH_LANES+j)*32+:32])) * mul_b),
              shift);
          OpCopy: value = shift_round(x * mul_a, shift);
          OpConcat:
          value = shift_round(
              x * requant_multiplier(table_words[(2*concat_input[j]+1)*64+:48]),
              table_words[(2*concat_input[j]+1)*64+48+:6]);
          OpAffine:
          value = shift_round(x * requant_multiplier(word_c0[47:0]) + word_c1, word_c0[53:48]);
          OpLut: value = lut_words[j*64+:64];
          OpCMax: value = channel_best;
          OpResample: value = HAS_RESAMPLE ? shift_round(weighted, shift) : 64'sd0;
          OpMul:
          value = HAS_MUL ? shift_round(
              x * 64'($signed(rd_data[(TAPS*CH_LANES+j)*32+:32])) *
                  requant_multiplier(word0[47:0]),
              word0[53:48]) : 64'sd0;
          default: value = 64'sd0;
        endcase
        if (value < clamp_min) value = clamp_min;
        if (value > clamp_max) value = clamp_max;
        wr_mask[j] = j < out_c_cnt;
        wr_data[j*32+:32] = value[31:0];
      end
    wr_done = write;
    run_done = run_start ? vectors <= 0 : write && last_pixel;
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      running <= 1'b0;
      p <= 64'sd0;
      phase <= 32'sd0;
      {oy, ox} <= '0;
      {wy, wx, ry, rx} <= '0;
    end else if (run_start && !run_done) begin
      running <= 1'b1;
      p <= 64'sd0;
      phase <= 32'sd0;
      {oy, ox} <= '0;
      {wy, wx, ry, rx} <= '0;
    end else if (active) begin
      if (!write) phase <= phase + 32'sd1;
      else begin
        phase <= 32'sd0;
        p <= p + 64'sd1;
        if (ox == out_w - 1) begin
          oy <= oy + 32'sd1;
          ox <= 32'sd0;
          wx <= 32'sd0;
          rx <= 32'sd0;
          if (ry >= up_h - 32'sd1) begin
            ry <= 32'sd0;
            wy <= wy + 32'sd1;
          end else ry <= ry + 32'sd1;
        end else begin
          ox <= ox + 32'sd1;
          if (rx >= up_w - 32'sd1) begin
            rx <= 32'sd0;
            wx <= wx + 32'sd1;
          end else rx <= rx + 32'sd1;
        end
        if (last_pixel) running <= 1'b0;
      end
    end
  end

  logic unused_bits;
  always_comb
    unused_bits = ^{rd_valid, vq_all[VQ_LANES-1:1], section, table_words, out_c_off, lut_words,
                    word0[63:54], word_c0[63:54], value[63:32], axis_words[127:112],
                    axis_words[63:48], row_addr, column_addr};
  /* verilator lint_on WIDTHCONCAT */
endmodule
`default_nettype wire
