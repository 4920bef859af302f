`default_nettype none
// A weight engine (docs/isa.md, "Weight engine"; docs/rtl.md, "Control"): the arrays of one tile
// set (NA = tiles * ARRAYS_PER_TILE pim_array macros) and the controller that runs a unit on
// them. Per RUN, every copy of the unit streams its vectors (v = copy, copy + COPIES, ...):
//
//   timing shell  vector k of a copy starts at s_k = max(s_{k-1} + II, ready(v_k)) (s_0 >= RUN
//                 + 1) and its output pixel is written in cycle s_k + DEPTH - 1 (valid at
//                 s_k + DEPTH), as the ISA states;
//   LOAD          from s_k: the im2col rows of every row array (conv group gi, row block b) are
//                 gathered from the input buffer, LOAD_LANES rows per cycle, into input bank
//                 k mod 2 of the copy's arrays (pads read code 0; unused rows are cleared);
//   MVM           the step loop (phases outermost, then row groups; every step converts Q
//                 column rounds) issued to all arrays of the copy in lock step;
//   shift-add     per array and column, the ADC values weighted by their phase (two banks);
//   DRAIN         one cycle: slices combined, row blocks reduced, partial sums of PSUM_IN_BUF
//                 added, bias + requantizer + clamp from the channel table (or raw sums when
//                 PSUM_OUT), into the copy's result slot, written at s_k + DEPTH - 1.
//
// The functional path (load + mvm + 3 cycles) is shorter than DEPTH for every configuration of
// the cost model; should a result not be ready at its write cycle (or a copy's LOAD stage still
// be busy at a start), the engine writes late and raises `late` (a timing deviation the
// testbench reports; the values stay exact).
// Copies of the unit sit on tiles TILE + c * COPY_STRIDE (chip-global tile ids; this engine owns
// tiles FIRST_TILE .. FIRST_TILE + TILES - 1). Windows wider than MAX_KH x MAX_KW must cover the
// whole input (a Gemm on a flattened tensor): their readiness is "every input pixel valid".
module engine_weight #(
    // program
    parameter int ROM_DEPTH = 16,
    parameter PROGRAM_FILE = "",
    parameter int DATA_DEPTH = 1,
    parameter DATA_FILE = "",
    // tile set
    parameter int FIRST_TILE = 0,
    parameter int TILES = 1,
    parameter int ARRAYS_PER_TILE = 1,
    // arrays (pim_array parameters)
    parameter int ROWS = 32,
    parameter int COLS = 32,
    parameter int BITS_PER_CELL = 1,
    parameter int DAC_BITS = 1,
    parameter int INPUT_BITS = 8,
    parameter int PARALLEL_ROWS = 32,
    parameter int ADCS = 8,
    parameter int ADC_BITS = 8,
    parameter int ADC_MODE = 2,
    parameter int READ_CYCLES = 1,
    parameter int CONV_CYCLES = 1,
    parameter int WRITE_CYCLES = 1,
    parameter int LOAD_LANES = 8,
    // sizes of the engine's largest unit
    parameter int MAX_COPIES = 1,
    parameter int MAX_ROW_ARRAYS = 1,  // GROUPS * ROW_BLOCKS
    parameter int MAX_ROW_BLOCKS = 1,
    parameter int MAX_SLICES = 8,
    parameter int OUT_LANES = 8,  // >= OUT_C_CNT: a pixel's channels are written in one cycle
    parameter int TABLE_LANES = 8,  // channels of the channel table cached per cycle
    parameter int MAX_KH = 3,
    parameter int MAX_KW = 3,
    // act_memory ports (per copy c: read ports 2c (gather) and 2c+1 (partial sums), valid
    // queries 2c (window) and 2c+1 (partial-sum pixel), write port c)
    parameter int BUF_BITS = 8,
    parameter int PIX_BITS = 16,
    parameter int CH_BITS = 16,
    // reload bus (offchip_port)
    parameter int RELOAD_LANES = 1,
    parameter int ROW_BITS = 64,  // the reload bus width (>= COLS * BITS_PER_CELL)
    localparam int NA = TILES * ARRAYS_PER_TILE,
    localparam int C = MAX_COPIES,
    localparam int GatherLanes = MAX_ROW_ARRAYS * LOAD_LANES,
    localparam int RDC = GatherLanes + OUT_LANES,  // read lanes per copy
    localparam int VQC = MAX_KH * MAX_KW + 1  // valid queries per copy
) (
    input wire logic clk,
    input wire logic rst_n,
    input wire logic [15:0] groups_started,
    output logic done_pulse,
    output logic halted,
    output logic error,
    output logic late,
    // act_memory: C * RDC read lanes, C * VQC valid queries, C write ports of OUT_LANES
    output logic [C*RDC*BUF_BITS-1:0] rd_buf,
    output logic [C*RDC*PIX_BITS-1:0] rd_pixel,
    output logic [C*RDC*CH_BITS-1:0] rd_channel,
    input wire logic [C*RDC*32-1:0] rd_data,
    output logic [C*VQC*BUF_BITS-1:0] vq_buf,
    output logic [C*VQC*PIX_BITS-1:0] vq_pixel,
    input wire logic [C*VQC-1:0] vq_valid,
    input wire logic [C*VQC-1:0] vq_all,
    output logic [C-1:0] wr_en,
    output logic [C*BUF_BITS-1:0] wr_buf,
    output logic [C*PIX_BITS-1:0] wr_pixel,
    output logic [C*CH_BITS-1:0] wr_channel,
    output logic [C*OUT_LANES-1:0] wr_mask,
    output logic [C*OUT_LANES*32-1:0] wr_data,
    output logic [C-1:0] wr_done,
    // reload bus: lane l writes row rl_row of array rl_array of tile rl_tile; rl_ready[l] is 1
    // unless this engine owns the target and the array is still busy (the top ANDs engines)
    input wire logic [RELOAD_LANES-1:0] rl_valid,
    input wire logic [RELOAD_LANES*16-1:0] rl_tile,
    input wire logic [RELOAD_LANES*8-1:0] rl_array,
    input wire logic [RELOAD_LANES*16-1:0] rl_row,
    input wire logic [RELOAD_LANES*ROW_BITS-1:0] rl_data,
    output logic [RELOAD_LANES-1:0] rl_ready
);
  localparam int Groups = (ROWS + PARALLEL_ROWS - 1) / PARALLEL_ROWS;
  localparam int Rounds = (COLS + ADCS - 1) / ADCS;
  localparam int RowBits = ROWS > 1 ? $clog2(ROWS) : 1;
  localparam int GroupBits = Groups > 1 ? $clog2(Groups) : 1;
  localparam int RoundBits = Rounds > 1 ? $clog2(Rounds) : 1;
  localparam int RoundsBits = $clog2(Rounds + 1);
  localparam int PhaseBits = $clog2(DAC_BITS + 1);
  localparam int FullScale = PARALLEL_ROWS * ((1 << DAC_BITS) - 1) * ((1 << BITS_PER_CELL) - 1);
  localparam int SumBits = $clog2(FullScale + 1);
  localparam int InSumBits = $clog2(PARALLEL_ROWS * ((1 << DAC_BITS) - 1) + 1);
  localparam int Slots = 4;  // results in flight per copy
  localparam int DataAddrBits = DATA_DEPTH > 1 ? $clog2(DATA_DEPTH) : 1;

  // ---------------------------------------------------------------- program and registers
  logic set_valid, run_start, run_done;
  logic [7:0] set_reg;
  logic [63:0] set_value;
  logic [15:0] section;
  logic [63:0] regs[128];

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

  // Registers are unspecified until SET (the compiler writes every register a RUN uses).
  always_ff @(posedge clk) if (set_valid && !set_reg[7]) regs[7'(set_reg)] <= set_value;

  logic signed [31:0] in_h, in_w, in_c_off, in_c_cnt, in_c_step, kh, kw, stride_h, stride_w;
  logic signed [31:0] pad_t, pad_l, dil_h, dil_w, out_c_off, out_c_cnt, out_w, groups;
  logic signed [31:0] out_c_per_group, tile, copies, row_blocks, col_blocks;
  logic signed [63:0] copy_table;
  logic signed [31:0] rows_per_array, weights_per_array, slices, ii, depth, vectors;
  logic signed [63:0] clamp_min, clamp_max, psum_in_buf, table_base;
  logic psum_out, has_psum, whole_input;
  logic [7:0] weight_bits, act_bits, bpc, dac, adc_bits_r;
  logic signed_input, input_offset, twos_weights, offset_weights, ref_weights;
  logic [4:0] adc_shift;
  always_comb begin
    in_h = regs[7'h03][31:0];
    in_w = regs[7'h04][31:0];
    in_c_off = regs[7'h05][31:0];
    in_c_cnt = regs[7'h06][31:0];
    in_c_step = regs[7'h07][31:0];
    kh = regs[7'h08][31:0];
    kw = regs[7'h09][31:0];
    stride_h = regs[7'h0A][31:0];
    stride_w = regs[7'h0B][31:0];
    pad_t = regs[7'h0C][31:0];
    pad_l = regs[7'h0D][31:0];
    dil_h = regs[7'h0E][31:0];
    dil_w = regs[7'h0F][31:0];
    out_c_off = regs[7'h12][31:0];
    out_c_cnt = regs[7'h13][31:0];
    out_w = regs[7'h15][31:0];
    groups = regs[7'h16][31:0];
    out_c_per_group = regs[7'h17][31:0];
    psum_in_buf = regs[7'h18];
    psum_out = regs[7'h19][0];
    table_base = regs[7'h1A];
    clamp_min = regs[7'h1B];
    clamp_max = regs[7'h1C];
    tile = regs[7'h20][31:0];
    copies = regs[7'h22][31:0];
    copy_table = regs[7'h23];
    row_blocks = regs[7'h24][31:0];
    col_blocks = regs[7'h25][31:0];
    rows_per_array = regs[7'h26][31:0];
    weights_per_array = regs[7'h27][31:0];
    slices = regs[7'h28][31:0];
    weight_bits = regs[7'h29][7:0];
    act_bits = regs[7'h29][15:8];
    signed_input = regs[7'h29][16];
    input_offset = regs[7'h29][17];
    twos_weights = regs[7'h29][19:18] == 2'd0;
    offset_weights = regs[7'h29][19:18] == 2'd1;
    ref_weights = regs[7'h29][19:18] == 2'd2;
    bpc = regs[7'h29][31:24];
    dac = regs[7'h29][39:32];
    adc_bits_r = regs[7'h29][47:40];
    adc_shift = regs[7'h2B][4:0];
    ii = regs[7'h30][31:0];
    depth = regs[7'h31][31:0];
    vectors = regs[7'h3C][31:0];
    has_psum = psum_in_buf >= 0;
    whole_input = kh > MAX_KH || kw > MAX_KW;
  end

  // Per-RUN constants (registered at RUN start).
  logic signed [31:0] k_rows;  // matrix rows per conv group
  logic signed [31:0] active_rows, load_cycles, row_groups, rounds_q, phases, row_arrays;
  logic signed [31:0] kernel_area;
  logic [31:0] first_array;  // physical index of copy 0's logical array 0
  always_ff @(posedge clk) begin
    if (run_start) begin
      kernel_area <= kh * kw;
      k_rows <= in_c_cnt * kh * kw;
      active_rows <= rows_per_array < in_c_cnt * kh * kw ? rows_per_array : in_c_cnt * kh * kw;
      load_cycles <= ((rows_per_array < in_c_cnt * kh * kw ? rows_per_array : in_c_cnt * kh * kw)
                      + LOAD_LANES - 1) / LOAD_LANES;
      row_groups <= ((rows_per_array < in_c_cnt * kh * kw ? rows_per_array : in_c_cnt * kh * kw)
                     + PARALLEL_ROWS - 1) / PARALLEL_ROWS;
      rounds_q <= (((out_c_per_group < weights_per_array ? out_c_per_group : weights_per_array)
                    * slices + (ref_weights ? 1 : 0)) + ADCS - 1) / ADCS;
      // input phases (quant::input_chunks): twos-complement signed inputs add a sign phase
      phases <= signed_input && !input_offset ?
          (32'(act_bits) - 1 + 32'(dac) - 1) / 32'(dac) + 1 : (32'(act_bits) + 32'(dac) - 1) / 32'(dac);
      row_arrays <= groups * row_blocks;
      first_array <= 32'((tile - FIRST_TILE) * ARRAYS_PER_TILE);
    end
  end

  // The phase of step j: first bit, bits, negative.
  function logic [15:0] phase_of(input logic signed [31:0] j);
    logic [7:0] first;
    logic [7:0] bits;
    logic neg;
    neg = 1'b0;
    if (signed_input && !input_offset && j == phases - 1) begin
      first = act_bits - 8'd1;
      bits = 8'd1;
      neg = 1'b1;
    end else begin
      first = 8'(j * 32'(dac));
      bits = (signed_input && !input_offset ? act_bits - 8'd1 : act_bits) - first;
      if (bits > dac) bits = dac;
    end
    phase_of = {neg, 3'd0, 4'(bits), first};
  endfunction

  // ---------------------------------------------------------------- arrays
  logic [NA-1:0] a_wr_valid, a_wr_ready, a_in_clear, a_in_valid, a_in_bank;
  logic [NA*RowBits-1:0] a_wr_row, a_in_row;
  logic [NA*COLS*BITS_PER_CELL-1:0] a_wr_data;
  logic [NA*LOAD_LANES*INPUT_BITS-1:0] a_in_data;
  logic [NA-1:0] a_step_valid, a_step_ready, a_step_bank, a_step_negative, a_step_init;
  logic [NA*GroupBits-1:0] a_step_group;
  logic [NA*4-1:0] a_step_first_bit;
  logic [NA*PhaseBits-1:0] a_step_bits;
  logic [NA*RoundsBits-1:0] a_step_rounds;
  logic [NA*2-1:0] a_step_tag;
  logic [NA-1:0] a_out_valid, a_out_first, a_out_last, a_out_negative, a_out_init;
  logic [NA*RoundBits-1:0] a_out_round;
  logic [NA*ADCS*SumBits-1:0] a_out_values;
  logic [NA*InSumBits-1:0] a_out_in_sum;
  logic [NA*4-1:0] a_out_first_bit;
  logic [NA*2-1:0] a_out_tag;

  for (genvar a = 0; a < NA; a++) begin : g_array
    pim_array #(
        .ROWS(ROWS),
        .COLS(COLS),
        .BITS_PER_CELL(BITS_PER_CELL),
        .DAC_BITS(DAC_BITS),
        .INPUT_BITS(INPUT_BITS),
        .PARALLEL_ROWS(PARALLEL_ROWS),
        .ADCS(ADCS),
        .ADC_BITS(ADC_BITS),
        .ADC_MODE(ADC_MODE),
        .READ_CYCLES(READ_CYCLES),
        .CONV_CYCLES(CONV_CYCLES),
        .WRITE_CYCLES(WRITE_CYCLES),
        .LOAD_LANES(LOAD_LANES),
        .TAG_BITS(2)
    ) array (
        .clk,
        .rst_n,
        .wr_valid(a_wr_valid[a]),
        .wr_ready(a_wr_ready[a]),
        .wr_row(a_wr_row[a*RowBits+:RowBits]),
        .wr_data(a_wr_data[a*COLS*BITS_PER_CELL+:COLS*BITS_PER_CELL]),
        .in_clear(a_in_clear[a]),
        .in_valid(a_in_valid[a]),
        .in_bank(a_in_bank[a]),
        .in_row(a_in_row[a*RowBits+:RowBits]),
        .in_data(a_in_data[a*LOAD_LANES*INPUT_BITS+:LOAD_LANES*INPUT_BITS]),
        .step_valid(a_step_valid[a]),
        .step_ready(a_step_ready[a]),
        .step_bank(a_step_bank[a]),
        .step_group(a_step_group[a*GroupBits+:GroupBits]),
        .step_first_bit(a_step_first_bit[a*4+:4]),
        .step_bits(a_step_bits[a*PhaseBits+:PhaseBits]),
        .step_rounds(a_step_rounds[a*RoundsBits+:RoundsBits]),
        .step_adc_shift(adc_shift),
        .step_negative(a_step_negative[a]),
        .step_init(a_step_init[a]),
        .step_tag(a_step_tag[a*2+:2]),
        .out_valid(a_out_valid[a]),
        .out_round(a_out_round[a*RoundBits+:RoundBits]),
        .out_first(a_out_first[a]),
        .out_last(a_out_last[a]),
        .out_values(a_out_values[a*ADCS*SumBits+:ADCS*SumBits]),
        .out_in_sum(a_out_in_sum[a*InSumBits+:InSumBits]),
        .out_first_bit(a_out_first_bit[a*4+:4]),
        .out_negative(a_out_negative[a]),
        .out_init(a_out_init[a]),
        .out_tag(a_out_tag[a*2+:2])
    );
  end

  // Which copy drives physical array pa during the RUN (-1: none) and its row array.
  logic signed [31:0] owner[NA], owner_row_array[NA];
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      for (int pa = 0; pa < NA; pa++) owner[pa] = -32'sd1;
    end else if (run_start) begin
      for (int pa = 0; pa < NA; pa++) begin
        owner[pa] = -32'sd1;
        owner_row_array[pa] = 32'sd0;
        for (int c = 0; c < C; c++) begin
          if (c < copies && pa - ((copy_first[c] - FIRST_TILE) * ARRAYS_PER_TILE) >= 0 &&
              pa - ((copy_first[c] - FIRST_TILE) * ARRAYS_PER_TILE) <
                  groups * row_blocks * col_blocks) begin
            owner[pa] = c;
            owner_row_array[pa] =
                (pa - ((copy_first[c] - FIRST_TILE) * ARRAYS_PER_TILE)) / col_blocks;
          end
        end
      end
    end
  end
  /* verilator lint_on BLKSEQ */

  // ---------------------------------------------------------------- reload writes
  // (rl_ready does not depend on rl_valid: the port's lanes wait on it combinationally)
  always_comb begin
    rl_ready = '1;
    for (int l = 0; l < RELOAD_LANES; l++)
      for (int pa = 0; pa < NA; pa++)
        if (32'(rl_tile[l*16+:16]) == FIRST_TILE + pa / ARRAYS_PER_TILE &&
            32'(rl_array[l*8+:8]) == pa % ARRAYS_PER_TILE)
          rl_ready[l] = a_wr_ready[pa];
  end
  always_comb begin
    a_wr_valid = '0;
    a_wr_row = '0;
    for (int pa = 0; pa < NA; pa++) a_wr_data[pa*COLS*BITS_PER_CELL+:COLS*BITS_PER_CELL] = '0;
    for (int l = 0; l < RELOAD_LANES; l++) begin
      for (int pa = 0; pa < NA; pa++) begin
        if (rl_valid[l] && 32'(rl_tile[l*16+:16]) == FIRST_TILE + pa / ARRAYS_PER_TILE &&
            32'(rl_array[l*8+:8]) == pa % ARRAYS_PER_TILE) begin
          a_wr_valid[pa] = 1'b1;
          a_wr_row[pa*RowBits+:RowBits] = RowBits'(rl_row[l*16+:16]);
          a_wr_data[pa*COLS*BITS_PER_CELL+:COLS*BITS_PER_CELL] =
              rl_data[l*ROW_BITS+:COLS*BITS_PER_CELL];
        end
      end
    end
  end

  // ---------------------------------------------------------------- copy table
  // First tile of every copy (data ROM at COPY_TABLE, filled after SET COPY_TABLE, one word per
  // cycle: the compiler writes COPY_TABLE with the configuration, before SYNC).
  logic signed [31:0] copy_first[C];
  logic [31:0] copy_fill;
  logic [63:0] copy_word;
  rom #(
      .WIDTH(64),
      .DEPTH(DATA_DEPTH),
      .INIT_FILE(DATA_FILE)
  ) copy_rom (
      .addr(DataAddrBits'(copy_table + 64'(copy_fill))),
      .data(copy_word)
  );
  always_ff @(posedge clk) begin
    if (!rst_n) copy_fill <= C;
    else if (set_valid && set_reg == 8'h23) copy_fill <= 32'd0;
    else if (copy_fill < C) begin
      copy_first[copy_fill] <= copy_word[31:0];
      copy_fill <= copy_fill + 32'd1;
    end
  end

  // ---------------------------------------------------------------- vector slots
  // The engine's vectors: v with VEC_SLOT_LO <= v mod VEC_PERIOD < VEC_SLOT_HI, in order; the
  // j-th goes to copy j mod COPIES. (v, v mod VEC_PERIOD) advanced by n of the engine's vectors.
  logic signed [31:0] vec_period, vec_lo, vec_hi;
  always_comb begin
    vec_period = regs[7'h32][31:0];
    vec_lo = regs[7'h33][31:0];
    vec_hi = regs[7'h34][31:0];
  end
  function logic [63:0] advance(input logic signed [31:0] v, input logic signed [31:0] slot,
                                input logic signed [31:0] n);
    logic signed [31:0] av, aslot;
    av = v;
    aslot = slot;
    for (int i = 0; i < C; i++) begin
      if (i < n) begin
        if (aslot + 1 < vec_hi) begin
          av = av + 1;
          aslot = aslot + 1;
        end else begin
          av = av + vec_period - aslot + vec_lo;
          aslot = vec_lo;
        end
      end
    end
    advance = {av, aslot};
  endfunction
  logic signed [31:0] first_v[C], first_slot[C], step_v[C], step_slot[C], next_slot[C];
  always_comb begin
    for (int c = 0; c < C; c++) begin
      {first_v[c], first_slot[c]} = advance(vec_lo, vec_lo, c);
      {step_v[c], step_slot[c]} = advance(next_v[c], next_slot[c], copies);
    end
  end

  // ---------------------------------------------------------------- per copy: timing shell
  logic running;
  logic signed [63:0] now;
  logic signed [31:0] next_v[C];  // the copy's next vector
  logic signed [63:0] next_allowed[C];  // s_{k-1} + II (or RUN + 1)
  logic [C-1:0] ready, start, slot_free;
  logic table_ready;  // the channel table cache is filled (below)
  logic signed [31:0] oy_next[C], ox_next[C];
  logic [31:0] started[C], written[C];  // vectors of the copy started / written
  // result slots, slot = vector count mod Slots
  logic signed [31:0] slot_v[C*Slots];
  logic signed [63:0] slot_due[C*Slots];
  logic [C*Slots-1:0] slot_ready;
  logic [Slots*OUT_LANES*32-1:0] slot_data[C];
  logic [OUT_LANES*32-1:0] drain_values;  // one drained pixel (a temporary of the loop below)

  always_comb begin
    for (int c = 0; c < C; c++) begin
      oy_next[c] = next_v[c] / (out_w > 0 ? out_w : 1);
      ox_next[c] = next_v[c] - oy_next[c] * out_w;
    end
  end

  // valid queries: window taps of the next vector (2c), partial-sum pixel (2c+1)
  always_comb begin
    for (int c = 0; c < C; c++) begin
      for (int t = 0; t < VQC - 1; t++)
        vq_buf[(c*VQC+t)*BUF_BITS+:BUF_BITS] = regs[7'h01][BUF_BITS-1:0];
      vq_buf[(c*VQC+VQC-1)*BUF_BITS+:BUF_BITS] = psum_in_buf[BUF_BITS-1:0];
      for (int ky = 0; ky < MAX_KH; ky++)
        for (int kx = 0; kx < MAX_KW; kx++)
          vq_pixel[(c*VQC+ky*MAX_KW+kx)*PIX_BITS+:PIX_BITS] = PIX_BITS'(
              (oy_next[c] * stride_h - pad_t + ky * dil_h) * in_w +
              ox_next[c] * stride_w - pad_l + kx * dil_w);
      vq_pixel[(c*VQC+VQC-1)*PIX_BITS+:PIX_BITS] = PIX_BITS'(next_v[c]);
    end
  end

  logic [C-1:0] load_busy;
  always_comb begin
    for (int c = 0; c < C; c++) begin
      ready[c] = whole_input ? vq_all[c*VQC] : 1'b1;
      if (!whole_input)
        for (int ky = 0; ky < MAX_KH; ky++)
          for (int kx = 0; kx < MAX_KW; kx++)
            if (ky < kh && kx < kw &&
                oy_next[c] * stride_h - pad_t + ky * dil_h >= 0 &&
                oy_next[c] * stride_h - pad_t + ky * dil_h < in_h &&
                ox_next[c] * stride_w - pad_l + kx * dil_w >= 0 &&
                ox_next[c] * stride_w - pad_l + kx * dil_w < in_w &&
                !vq_valid[c*VQC+ky*MAX_KW+kx])
              ready[c] = 1'b0;
      if (has_psum && !vq_valid[c*VQC+VQC-1]) ready[c] = 1'b0;
      slot_free[c] = started[c] - written[c] < Slots;
      start[c] = running && c < copies && next_v[c] < vectors && now >= next_allowed[c] &&
          ready[c] && !load_busy[c] && slot_free[c] && table_ready;
    end
  end

  // ---------------------------------------------------------------- per copy: LOAD
  logic [31:0] load_count[C];
  logic [C-1:0] load_bank;
  logic signed [31:0] load_oy[C], load_ox[C];
  logic [C-1:0] loaded;  // a loaded vector waits for the MVM stage
  logic [C-1:0] loaded_bank;
  logic [C-1:0] mvm_take;

  // the LOAD stage as seen this cycle: the start cycle is the first load cycle
  logic [C-1:0] ld_on, ld_bank;
  logic [31:0] ld_count[C], ld_slot[C];
  logic signed [31:0] ld_oy[C], ld_ox[C];
  always_comb begin
    for (int c = 0; c < C; c++) begin
      ld_on[c] = load_busy[c] || start[c];
      ld_count[c] = start[c] ? 32'd0 : load_count[c];
      ld_bank[c] = start[c] ? started[c][0] : load_bank[c];
      ld_slot[c] = start[c] ? c * Slots + started[c] % Slots : load_slot[c];
      ld_oy[c] = start[c] ? oy_next[c] : load_oy[c];
      ld_ox[c] = start[c] ? ox_next[c] : load_ox[c];
    end
  end

  // gather addresses: copy c, row array ra = gi * ROW_BLOCKS + b, lane l: row r of the array
  logic signed [31:0] g_k[C*GatherLanes];
  logic [C*GatherLanes-1:0] g_used, g_inside;
  always_comb begin
    for (int c = 0; c < C; c++) begin
      for (int l = 0; l < GatherLanes; l++)
        rd_buf[(c*RDC+l)*BUF_BITS+:BUF_BITS] = regs[7'h01][BUF_BITS-1:0];
      for (int n = 0; n < OUT_LANES; n++)
        rd_buf[(c*RDC+GatherLanes+n)*BUF_BITS+:BUF_BITS] = psum_in_buf[BUF_BITS-1:0];
      for (int ra = 0; ra < MAX_ROW_ARRAYS; ra++) begin
        for (int l = 0; l < LOAD_LANES; l++) begin
          // local row r, matrix row k of conv group gi = ra / ROW_BLOCKS, block b
          g_k[c*GatherLanes+ra*LOAD_LANES+l] =
              (ra % (row_blocks > 0 ? row_blocks : 1)) * rows_per_array +
              32'(ld_count[c]) * LOAD_LANES + l;
          g_used[c*GatherLanes+ra*LOAD_LANES+l] =
              ra < row_arrays && 32'(ld_count[c]) * LOAD_LANES + l < rows_per_array &&
              g_k[c*GatherLanes+ra*LOAD_LANES+l] < k_rows;
          g_inside[c*GatherLanes+ra*LOAD_LANES+l] = g_used[c*GatherLanes+ra*LOAD_LANES+l] &&
              gather_iy(ld_oy[c], g_k[c*GatherLanes+ra*LOAD_LANES+l]) >= 0 &&
              gather_iy(ld_oy[c], g_k[c*GatherLanes+ra*LOAD_LANES+l]) < in_h &&
              gather_ix(ld_ox[c], g_k[c*GatherLanes+ra*LOAD_LANES+l]) >= 0 &&
              gather_ix(ld_ox[c], g_k[c*GatherLanes+ra*LOAD_LANES+l]) < in_w;
          rd_pixel[(c*RDC+ra*LOAD_LANES+l)*PIX_BITS+:PIX_BITS] = PIX_BITS'(
              gather_iy(ld_oy[c], g_k[c*GatherLanes+ra*LOAD_LANES+l]) * in_w +
              gather_ix(ld_ox[c], g_k[c*GatherLanes+ra*LOAD_LANES+l]));
          rd_channel[(c*RDC+ra*LOAD_LANES+l)*CH_BITS+:CH_BITS] = CH_BITS'(
              in_c_off + (ra / (row_blocks > 0 ? row_blocks : 1)) * in_c_step +
              g_k[c*GatherLanes+ra*LOAD_LANES+l] / (kernel_area > 0 ? kernel_area : 1));
        end
      end
      // partial sums of the vector being drained (all channels of its pixel)
      for (int n = 0; n < OUT_LANES; n++) begin
        rd_pixel[(c*RDC+GatherLanes+n)*PIX_BITS+:PIX_BITS] = PIX_BITS'(drain_v[c]);
        rd_channel[(c*RDC+GatherLanes+n)*CH_BITS+:CH_BITS] = CH_BITS'(n);
      end
    end
  end

  function logic signed [31:0] gather_iy(input logic signed [31:0] oy, input logic signed [31:0] k);
    gather_iy = oy * stride_h - pad_t +
        ((k % (kernel_area > 0 ? kernel_area : 1)) / (kw > 0 ? kw : 1)) * dil_h;
  endfunction
  function logic signed [31:0] gather_ix(input logic signed [31:0] ox, input logic signed [31:0] k);
    gather_ix = ox * stride_w - pad_l +
        ((k % (kernel_area > 0 ? kernel_area : 1)) % (kw > 0 ? kw : 1)) * dil_w;
  endfunction

  // input patterns of every gather lane (computed once), then each array takes the block of
  // its row array (vector selects only: the lanes are not repeated per array)
  logic [C*GatherLanes*INPUT_BITS-1:0] lane_pattern;
  always_comb
    for (int g = 0; g < C * GatherLanes; g++)
      lane_pattern[g*INPUT_BITS+:INPUT_BITS] =
          g_used[g] ? pattern(g_inside[g] ? rd_data[((g/GatherLanes)*RDC+g%GatherLanes)*32+:32] :
                                            32'd0) : '0;
  always_comb begin
    a_in_clear = '0;
    a_in_valid = '0;
    a_in_bank = '0;
    a_in_row = '0;
    for (int pa = 0; pa < NA; pa++) begin
      a_in_data[pa*LOAD_LANES*INPUT_BITS+:LOAD_LANES*INPUT_BITS] = '0;
      for (int c = 0; c < C; c++) begin
        if (owner[pa] == c && ld_on[c]) begin
          a_in_valid[pa] = 1'b1;
          a_in_clear[pa] = ld_count[c] == 0;
          a_in_bank[pa] = ld_bank[c];
          a_in_row[pa*RowBits+:RowBits] = RowBits'(ld_count[c] * LOAD_LANES);
          for (int ra = 0; ra < MAX_ROW_ARRAYS; ra++)
            if (ra == owner_row_array[pa])
              a_in_data[pa*LOAD_LANES*INPUT_BITS+:LOAD_LANES*INPUT_BITS] =
                  lane_pattern[(c*GatherLanes+ra*LOAD_LANES)*INPUT_BITS+:LOAD_LANES*INPUT_BITS];
        end
      end
    end
  end

  // applied pattern p = (x + o) mod 2^ab (docs/analog-model.md section 3)
  function logic [INPUT_BITS-1:0] pattern(input logic [31:0] x);
    logic [31:0] a;
    a = x + (signed_input && input_offset ? 32'd1 << (act_bits - 8'd1) : 32'd0);
    pattern = INPUT_BITS'(a & ((32'd1 << act_bits) - 32'd1));
  endfunction

  // ---------------------------------------------------------------- per copy: MVM
  logic [C-1:0] mvm_busy, mvm_bank, mvm_last, load_last, take_bank;
  logic [31:0] take_slot[C];
  logic signed [31:0] mvm_phase[C], mvm_group[C];
  logic [C-1:0] copy_step_ready;
  logic [15:0] phase_bits[C];
  always_comb begin
    for (int c = 0; c < C; c++) begin
      copy_step_ready[c] = 1'b1;
      phase_bits[c] = phase_of(mvm_phase[c]);
    end
    for (int pa = 0; pa < NA; pa++)
      for (int c = 0; c < C; c++)
        if (owner[pa] == c && !a_step_ready[pa]) copy_step_ready[c] = 1'b0;
    a_step_valid = '0;
    a_step_bank = '0;
    a_step_negative = '0;
    a_step_init = '0;
    a_step_group = '0;
    a_step_first_bit = '0;
    a_step_bits = '0;
    a_step_rounds = '0;
    a_step_tag = '0;
    for (int pa = 0; pa < NA; pa++) begin
      for (int c = 0; c < C; c++) begin
        if (owner[pa] == c) begin
          a_step_valid[pa] = mvm_busy[c];
          a_step_bank[pa] = mvm_bank[c];
          a_step_group[pa*GroupBits+:GroupBits] = GroupBits'(mvm_group[c]);
          a_step_first_bit[pa*4+:4] = phase_bits[c][3:0];
          a_step_bits[pa*PhaseBits+:PhaseBits] = PhaseBits'(phase_bits[c][11:8]);
          a_step_negative[pa] = phase_bits[c][15];
          a_step_init[pa] = mvm_phase[c] == 0 && mvm_group[c] == 0;
          a_step_rounds[pa*RoundsBits+:RoundsBits] = RoundsBits'(rounds_q);
          a_step_tag[pa*2+:2] = {mvm_phase[c] == phases - 1 && mvm_group[c] == row_groups - 1,
                                 mvm_bank[c]};
        end
      end
    end
    for (int c = 0; c < C; c++) begin
      mvm_last[c] = mvm_busy[c] && copy_step_ready[c] && mvm_phase[c] == phases - 1 &&
          mvm_group[c] == row_groups - 1;
      load_last[c] = ld_on[c] && 32'(ld_count[c]) + 1 >= 32'(load_cycles);
      mvm_take[c] = (loaded[c] || load_last[c]) && (!mvm_busy[c] || mvm_last[c]);
      take_bank[c] = loaded[c] ? loaded_bank[c] : ld_bank[c];
      take_slot[c] = loaded[c] ? mvm_slot[c] : ld_slot[c];
    end
  end


  // ---------------------------------------------------------------- shift-add (two banks)
  logic signed [63:0] acc[NA*2*COLS];
  logic signed [63:0] in_acc[NA*2];
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    for (int pa = 0; pa < NA; pa++) begin
      if (a_out_valid[pa]) begin
        for (int i = 0; i < ADCS; i++) begin
          if (32'(a_out_round[pa*RoundBits+:RoundBits]) * ADCS + i < COLS) begin
            acc[(pa*2+32'(a_out_tag[pa*2]))*COLS+32'(a_out_round[pa*RoundBits+:RoundBits])*ADCS+i] =
                (a_out_init[pa] ? 64'sd0 :
                 acc[(pa*2+32'(a_out_tag[pa*2]))*COLS+32'(a_out_round[pa*RoundBits+:RoundBits])*ADCS+i]) +
                (a_out_negative[pa] ? -64'sd1 : 64'sd1) *
                (64'(a_out_values[(pa*ADCS+i)*SumBits+:SumBits]) << a_out_first_bit[pa*4+:4]);
          end
        end
        if (a_out_first[pa])
          in_acc[pa*2+32'(a_out_tag[pa*2])] =
              (a_out_init[pa] ? 64'sd0 : in_acc[pa*2+32'(a_out_tag[pa*2])]) +
              (a_out_negative[pa] ? -64'sd1 : 64'sd1) *
              (64'(a_out_in_sum[pa*InSumBits+:InSumBits]) << a_out_first_bit[pa*4+:4]);
      end
    end
  end
  /* verilator lint_on BLKSEQ */

  // output channel j of physical array pa, bank b: slices, reference column, offset correction
  function logic signed [63:0] channel_sum(input int pa, input int b, input int j);
    logic signed [63:0] s;
    s = 64'sd0;
    for (int sl = 0; sl < MAX_SLICES; sl++) begin
      if (sl < slices) begin
        if (twos_weights && sl == slices - 1)
          s = s - (acc[(pa*2+b)*COLS+((j*slices+sl)%COLS)] <<< (weight_bits - 8'd1));
        else
          s = s + (acc[(pa*2+b)*COLS+((j*slices+sl)%COLS)] <<< (32'(sl) * 32'(bpc)));
      end
    end
    if (ref_weights)
      s = s - (acc[(pa*2+b)*COLS+((weights_per_array*slices)%COLS)] <<<
               (32'(weight_bits) - (bpc < weight_bits ? 32'(bpc) : 32'(weight_bits))));
    if (offset_weights || ref_weights) s = s - (in_acc[pa*2+b] <<< (weight_bits - 8'd1));
    channel_sum = s;
  endfunction

  // ---------------------------------------------------------------- per copy: DRAIN
  logic [C-1:0] drain_go, drain_bank;
  logic signed [31:0] drain_v[C];
  logic [31:0] drain_slot[C];
  logic [31:0] mvm_slot[C], load_slot[C];

  // channel table cache: bias and requantizer of every output channel, TABLE_LANES channels
  // per cycle from SET TABLE on (a RUN starts no vector before the cache is filled)
  logic signed [63:0] bias[OUT_LANES], mult[OUT_LANES];
  logic [5:0] rshift[OUT_LANES];
  logic [31:0] table_fill;
  logic [2*TABLE_LANES*64-1:0] table_words;
  rom #(
      .WIDTH(64),
      .DEPTH(DATA_DEPTH),
      .LANES(2 * TABLE_LANES),
      .INIT_FILE(DATA_FILE)
  ) data_rom (
      .addr(DataAddrBits'(table_base + 2 * 64'(table_fill))),
      .data(table_words)
  );
  always_comb table_ready = table_fill >= OUT_LANES || 32'(out_c_cnt) <= table_fill || psum_out;
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (!rst_n) table_fill = OUT_LANES;
    else if (set_valid && set_reg == 8'h1A) table_fill = 32'd0;
    else if (table_fill < OUT_LANES) begin
      for (int i = 0; i < TABLE_LANES; i++) begin
        if (table_fill + 32'(i) < OUT_LANES) begin
          bias[table_fill+32'(i)] = table_words[(2*i)*64+:64];
          mult[table_fill+32'(i)] = {{16{table_words[(2*i+1)*64+47]}},
                                     table_words[(2*i+1)*64+:48]};
          rshift[table_fill+32'(i)] = table_words[(2*i+1)*64+48+:6];
        end
      end
      table_fill = table_fill + TABLE_LANES;
    end
  end
  /* verilator lint_on BLKSEQ */

  function logic signed [63:0] shift_round(input logic signed [63:0] v, input logic [5:0] s);
    if (s == 6'd0) shift_round = v;
    else shift_round = (v + (64'sd1 <<< (s - 6'd1))) >>> s;
  endfunction

  // the value written for output channel n of copy c (drained from bank b)
  function logic [31:0] output_value(input int c, input int b, input int n);
    logic signed [63:0] total, y;
    int gi, nn, q, j;
    gi = n / (out_c_per_group > 0 ? out_c_per_group : 1);
    nn = n - gi * out_c_per_group;
    q = nn / (weights_per_array > 0 ? weights_per_array : 1);
    j = nn - q * weights_per_array;
    total = 64'sd0;
    for (int blk = 0; blk < MAX_ROW_BLOCKS; blk++)
      if (blk < row_blocks)
        total = total + channel_sum(
            (copy_first[c] - FIRST_TILE) * ARRAYS_PER_TILE +
            (gi * row_blocks + blk) * col_blocks + q, b, j);
    if (has_psum) total = total + 64'($signed(rd_data[(c*RDC+GatherLanes+n)*32+:32]));
    if (psum_out) y = total;
    else begin
      y = shift_round((total + bias[n]) * mult[n], rshift[n]);
      y = y < clamp_min ? clamp_min : y > clamp_max ? clamp_max : y;
    end
    output_value = y[31:0];
  endfunction

  // ---------------------------------------------------------------- sequencing
  logic [C-1:0] write_now;
  logic [31:0] write_slot[C];
  logic all_done;
  always_comb begin
    all_done = 1'b1;
    wr_en = '0;
    wr_buf = '0;
    wr_pixel = '0;
    wr_channel = '0;
    wr_mask = '0;
    wr_done = '0;
    for (int c = 0; c < C; c++) begin
      write_slot[c] = c * Slots + written[c] % Slots;
      write_now[c] = running && written[c] != started[c] && slot_ready[write_slot[c]] &&
          now >= slot_due[write_slot[c]];
      wr_en[c] = write_now[c];
      wr_done[c] = write_now[c];
      wr_buf[c*BUF_BITS+:BUF_BITS] = regs[7'h10][BUF_BITS-1:0];
      wr_pixel[c*PIX_BITS+:PIX_BITS] = PIX_BITS'(slot_v[write_slot[c]]);
      wr_channel[c*CH_BITS+:CH_BITS] = CH_BITS'(out_c_off);
      for (int n = 0; n < OUT_LANES; n++) begin
        wr_mask[c*OUT_LANES+n] = n < out_c_cnt;
        wr_data[(c*OUT_LANES+n)*32+:32] = slot_data[c][(write_slot[c]%Slots*OUT_LANES+n)*32+:32];
      end
      // the copy is finished when it has no vector left and the last one is written now
      if (c < copies && (next_v[c] < vectors || started[c] - written[c] > 32'(write_now[c])))
        all_done = 1'b0;
    end
    run_done = run_start ? vectors <= 0 : running && all_done;
  end

  logic [C-1:0] copy_late;
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      running <= 1'b0;
      now <= 64'sd0;
      late <= 1'b0;
    end else begin
      now <= now + 64'sd1;
      if (run_start && vectors > 0) running <= 1'b1;
      else if (run_done) running <= 1'b0;
      if (|copy_late) late <= 1'b1;
    end
  end

  // Per copy (a generate block each: constant indices for the per-copy registers).
  for (genvar c = 0; c < C; c++) begin : g_copy
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        load_busy[c] <= 1'b0;
        loaded[c] <= 1'b0;
        mvm_busy[c] <= 1'b0;
        drain_go[c] <= 1'b0;
        copy_late[c] <= 1'b0;
        slot_ready[c*Slots+:Slots] <= '0;
      end else begin
        copy_late[c] <= 1'b0;
        if (run_start && vectors > 0) begin
          next_v[c] <= first_v[c];
          next_slot[c] <= first_slot[c];
          next_allowed[c] <= now + 64'sd1;
          started[c] <= 32'd0;
          written[c] <= 32'd0;
          slot_ready[c*Slots+:Slots] <= '0;
        end
        // start: the timing shell
        if (start[c]) begin
          next_v[c] <= step_v[c];
          next_slot[c] <= step_slot[c];
          next_allowed[c] <= now + 64'(ii);
          started[c] <= started[c] + 32'd1;
          slot_v[c*Slots+started[c]%Slots] <= next_v[c];
          slot_due[c*Slots+started[c]%Slots] <= now + 64'(depth) - 64'sd1;
          slot_ready[c*Slots+started[c]%Slots] <= 1'b0;
          load_busy[c] <= !load_last[c];
          load_count[c] <= 32'd1;
          load_bank[c] <= started[c][0];
          load_slot[c] <= c * Slots + started[c] % Slots;
          load_oy[c] <= oy_next[c];
          load_ox[c] <= ox_next[c];
        end else if (running && c < copies && next_v[c] < vectors && now >= next_allowed[c] &&
                     ready[c] && (load_busy[c] || !slot_free[c] || !table_ready)) begin
          copy_late[c] <= 1'b1;  // the functional pipeline holds a start back
        end
        // LOAD
        if (load_busy[c]) begin
          if (load_last[c]) load_busy[c] <= 1'b0;
          load_count[c] <= load_count[c] + 32'd1;
        end
        if (load_last[c] && !mvm_take[c]) begin
          loaded[c] <= 1'b1;
          loaded_bank[c] <= ld_bank[c];
          mvm_slot[c] <= ld_slot[c];
        end
        // MVM: take a loaded vector, then step through phases x row groups
        if (mvm_take[c]) begin
          if (loaded[c]) loaded[c] <= 1'b0;
          mvm_busy[c] <= 1'b1;
          mvm_bank[c] <= take_bank[c];
          mvm_phase[c] <= 32'sd0;
          mvm_group[c] <= 32'sd0;
          drain_slot_tag[c*2+32'(take_bank[c])] <= take_slot[c];
        end else if (mvm_busy[c] && copy_step_ready[c]) begin
          if (mvm_last[c]) mvm_busy[c] <= 1'b0;
          else if (mvm_group[c] == row_groups - 1) begin
            mvm_group[c] <= 32'sd0;
            mvm_phase[c] <= mvm_phase[c] + 32'sd1;
          end else mvm_group[c] <= mvm_group[c] + 32'sd1;
        end
        // DRAIN: one cycle after the last round of the vector's last step was accumulated
        drain_go[c] <= copy_end[c];
        if (copy_end[c]) begin
          drain_bank[c] <= copy_end_bank[c];
          drain_slot[c] <= drain_slot_tag[c*2+32'(copy_end_bank[c])];
        end
        if (drain_go[c]) begin
          // Blocking into a temporary, then one delayed write: Verilator rejects delayed writes
          // to an array inside a loop that it does not unroll (BLKLOOPINIT).
          /* verilator lint_off BLKSEQ */
          for (int n = 0; n < OUT_LANES; n++)
            drain_values[n*32+:32] = output_value(c, 32'(drain_bank[c]), n);
          /* verilator lint_on BLKSEQ */
          slot_data[c][drain_slot[c]%Slots*OUT_LANES*32+:OUT_LANES*32] <= drain_values;
          slot_ready[drain_slot[c]] <= 1'b1;
        end
        // write
        if (write_now[c]) begin
          written[c] <= written[c] + 32'd1;
          if (now > slot_due[write_slot[c]]) copy_late[c] <= 1'b1;
        end
      end
    end
  end

  // the copy's first array reports the last round of a vector's last step
  logic [C-1:0] copy_end, copy_end_bank;
  always_comb begin
    copy_end = '0;
    copy_end_bank = '0;
    for (int pa = 0; pa < NA; pa++)
      for (int c = 0; c < C; c++)
        if (owner[pa] == c && 32'(pa) == first_of_copy[c] && a_out_valid[pa] && a_out_last[pa] &&
            a_out_tag[pa*2+1]) begin
          copy_end[c] = 1'b1;
          copy_end_bank[c] = a_out_tag[pa*2];
        end
  end

  // the result slot of the vector whose steps use bank b
  logic [31:0] drain_slot_tag[C*2];

  logic [31:0] first_of_copy[C];
  always_comb
    for (int c = 0; c < C; c++) first_of_copy[c] = 32'((copy_first[c] - FIRST_TILE) * ARRAYS_PER_TILE);

  always_comb for (int c = 0; c < C; c++) drain_v[c] = slot_v[drain_slot[c]];

  logic unused_bits;
  always_comb
    unused_bits = ^{section, table_words, copy_word[63:32], adc_bits_r, rounds_q, first_array, active_rows,
                    regs[7'h02], out_c_off};
endmodule
`default_nettype wire
