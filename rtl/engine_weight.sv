`default_nettype none
// A weight engine (docs/isa.md, "Weight engine"; docs/rtl.md, "Control"): the arrays of the
// tiles it drives (NA = TILES * ARRAYS_PER_TILE pim_array macros, each with its shift-add)
// and the controller that runs a unit on them. Per RUN, every copy of
// the unit streams its vectors (the engine's slots, the j-th to copy j mod COPIES):
//
//   timing shell  vector k of a copy starts at s_k = max(s_{k-1} + II, ready(v_k)) (s_0 >= RUN
//                 + 1) and its output pixel is written in cycle s_k + DEPTH - 1 (valid at
//                 s_k + DEPTH), as the ISA states;
//   LOAD          from s_k: the im2col rows of every row array (conv group gi, row block b) are
//                 gathered from the input buffer (engine_weight_gather), LOAD_LANES rows per
//                 cycle, into input bank k mod 2 of the copy's arrays (pads read code 0);
//   MVM           the step loop (phases outermost, then row groups; every step converts Q
//                 column rounds) issued to all arrays of the copy in lock step;
//   shift-add     per array and column, the ADC values weighted by their phase (two banks);
//   DRAIN         the cycle after the last round: slices combined, row blocks reduced, partial
//                 sums of PSUM_IN_BUF added, bias + requantizer + clamp (engine_weight_output)
//                 or raw sums (PSUM_OUT), into the copy's result slot, written at s_k + DEPTH - 1.
//
// The functional path (LOAD + MVM + 3 cycles) fits DEPTH >= LOAD + MVM + 4; should a result not
// be ready at its write cycle (or a copy's LOAD stage or result slots still be busy at a start),
// the engine writes late and raises `late` (a timing deviation the testbench reports; the values
// stay exact and the run finishes). Copies sit on the tiles of the copy table (chip-global tile
// ids; this engine owns tiles FIRST_TILE .. FIRST_TILE + TILES - 1). Windows wider than
// MAX_KH x MAX_KW must cover the whole input (a Gemm on a flattened tensor): their readiness is
// "every input pixel valid". No divisions per lane, channel or vector: counters and increment
// chains; a few narrow ones per RUN (the per-RUN constants below).
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
    // row arrays of copy c (field c, <= MAX_ROW_ARRAYS; 0: MAX_ROW_ARRAYS): the most of the
    // RUNs that have a copy c; sizes the copy's gather (a unit run once with many row arrays
    // and one with many copies need not give every copy the most row arrays)
    parameter logic [MAX_COPIES*32-1:0] COPY_ROW_ARRAYS = '0,
    parameter int MAX_ROW_BLOCKS = 1,
    parameter int OUT_LANES = 8,  // >= OUT_C_CNT: a pixel's channels are written in one cycle
    // read lanes: the sum over copies of COPY_ROW_ARRAYS * LOAD_LANES + OUT_LANES
    parameter int RD_LANES = MAX_COPIES * (MAX_ROW_ARRAYS * LOAD_LANES + OUT_LANES),
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
    parameter int CHIP_TILES = 1,  // the width of a reload lane's tile mask
    // tiles of the range that belong to another configuration's engine (bit t: tile
    // FIRST_TILE + t): no arrays, their reload writes are not ours
    parameter logic [1023:0] FOREIGN_TILES = '0,
    parameter int SLOTS = 4,  // results in flight per copy (> (DEPTH - 1) / II)
    parameter int ACC_BITS = 40,  // shift-add and channel sums (|sum + bias| < 2^(ACC_BITS-1))
    localparam int NA = TILES * ARRAYS_PER_TILE,  // 0: an engine that never RUNs
    localparam int NAV = NA > 0 ? NA : 1,  // width of the per-array vectors
    localparam int C = MAX_COPIES,
    localparam int VQC = MAX_KH * MAX_KW + 1  // valid queries per copy
) (
    input wire logic clk,
    input wire logic rst_n,
    input wire logic [15:0] groups_started,
    output logic done_pulse,
    output logic halted,
    output logic error,
    output logic late,
    // act_memory: RD_LANES read lanes (per copy c: LOAD_LANES per row array of the copy, then
    // OUT_LANES partial sums), C * VQC valid queries, C write ports of OUT_LANES
    output logic [RD_LANES*BUF_BITS-1:0] rd_buf,
    output logic [RD_LANES*PIX_BITS-1:0] rd_pixel,
    output logic [RD_LANES*CH_BITS-1:0] rd_channel,
    output logic [RD_LANES-1:0] rd_en,  // the lanes whose data is used in this cycle
    input wire logic [RD_LANES*32-1:0] rd_data,
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
    // reload bus: lane l writes row rl_row of array rl_array of every tile in its mask rl_tiles;
    // rl_ready[l] is 1 unless this engine owns a target whose array is still busy (the top ANDs
    // engines)
    input wire logic [RELOAD_LANES-1:0] rl_valid,
    input wire logic [RELOAD_LANES*CHIP_TILES-1:0] rl_tiles,
    input wire logic [RELOAD_LANES*8-1:0] rl_array,
    input wire logic [RELOAD_LANES*16-1:0] rl_row,
    input wire logic [RELOAD_LANES*ROW_BITS-1:0] rl_data,
    // rl_ready depends on rl_tiles/rl_array, which the port picks by its lanes' readiness: a loop
    // of whole vectors, not of bits (no combinational cycle), that Verilator cannot order
    /* verilator lint_off UNOPTFLAT */
    output logic [RELOAD_LANES-1:0] rl_ready
    /* verilator lint_on UNOPTFLAT */
);
  // '0 fills of the per-array buses pass Verilator's 8k-bit replication heuristic in big designs
  /* verilator lint_off WIDTHCONCAT */
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
  localparam int DataAddrBits = DATA_DEPTH > 1 ? $clog2(DATA_DEPTH) : 1;
  localparam int SlotBits = SLOTS > 1 ? $clog2(SLOTS) : 1;
  localparam int CopyBits = C > 1 ? $clog2(C) : 1;
  localparam int RaBits = MAX_ROW_ARRAYS > 1 ? $clog2(MAX_ROW_ARRAYS) : 1;
  // Index arithmetic (pixels, rows, channels, coordinates) is IW bits signed: it holds any
  // element index of a buffer (pixels x channels) with a sign.
  localparam int IW = PIX_BITS + CH_BITS + 2;
  localparam int PW = 7 * IW;  // a gather position (engine_weight_gather)
  localparam int A = ACC_BITS;

  // Row arrays of the copies before copy c (lane layout: copy c's gather lanes start at lane
  // (row_arrays_before(c) * LOAD_LANES + c * OUT_LANES), its input patterns at
  // row_arrays_before(c) * LOAD_LANES).
  function automatic logic [31:0] row_arrays_before(input logic [31:0] c);
    row_arrays_before = 0;
    for (int i = 0; i < C; i++)
      if (i < c)
        row_arrays_before = row_arrays_before + (COPY_ROW_ARRAYS[32*i+:32] == 0 ?
            32'(MAX_ROW_ARRAYS) : COPY_ROW_ARRAYS[32*i+:32]);
  endfunction
  localparam int GatherLanes = row_arrays_before(C) * LOAD_LANES;  // of all copies

  // ---------------------------------------------------------------- program and registers
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

  // Register fields (sizes as the ISA's quantities need them).
  logic signed [IW-1:0] in_h, in_w, in_c_off, in_c_cnt, in_c_step, kh, kw, stride_h, stride_w;
  logic signed [IW-1:0] pad_t, pad_l, dil_h, dil_w, out_w, groups, out_c_per_group, out_c_cnt;
  logic signed [IW-1:0] copies, row_blocks, col_blocks, rows_per_array, weights_per_array;
  logic signed [IW-1:0] slices, vectors, vec_period, vec_lo, vec_hi;
  logic signed [31:0] ii, depth;
  logic signed [63:0] clamp_min, clamp_max, psum_in_buf, table_base, copy_table;
  logic psum_out, has_psum, whole_input;
  logic [7:0] weight_bits, act_bits, bpc, dac;
  logic signed_input, input_offset, twos_weights, offset_weights, ref_weights;
  logic [4:0] adc_shift;
  always_comb begin
    in_h = IW'(regs[7'h03]);
    in_w = IW'(regs[7'h04]);
    in_c_off = IW'(regs[7'h05]);
    in_c_cnt = IW'(regs[7'h06]);
    in_c_step = IW'(regs[7'h07]);
    kh = IW'(regs[7'h08]);
    kw = IW'(regs[7'h09]);
    stride_h = IW'(regs[7'h0A]);
    stride_w = IW'(regs[7'h0B]);
    pad_t = IW'(regs[7'h0C]);
    pad_l = IW'(regs[7'h0D]);
    dil_h = IW'(regs[7'h0E]);
    dil_w = IW'(regs[7'h0F]);
    out_c_cnt = IW'(regs[7'h13]);
    out_w = IW'(regs[7'h15]);
    groups = IW'(regs[7'h16]);
    out_c_per_group = IW'(regs[7'h17]);
    psum_in_buf = regs[7'h18];
    psum_out = regs[7'h19][0];
    table_base = regs[7'h1A];
    clamp_min = regs[7'h1B];
    clamp_max = regs[7'h1C];
    copies = IW'(regs[7'h22]);
    copy_table = regs[7'h23];
    row_blocks = IW'(regs[7'h24]);
    col_blocks = IW'(regs[7'h25]);
    rows_per_array = IW'(regs[7'h26]);
    weights_per_array = IW'(regs[7'h27]);
    slices = IW'(regs[7'h28]);
    weight_bits = regs[7'h29][7:0];
    act_bits = regs[7'h29][15:8];
    signed_input = regs[7'h29][16];
    input_offset = regs[7'h29][17];
    twos_weights = regs[7'h29][19:18] == 2'd0;
    offset_weights = regs[7'h29][19:18] == 2'd1;
    ref_weights = regs[7'h29][19:18] == 2'd2;
    bpc = regs[7'h29][31:24];
    dac = regs[7'h29][39:32];
    adc_shift = regs[7'h2B][4:0];
    ii = regs[7'h30][31:0];
    depth = regs[7'h31][31:0];
    vec_period = IW'(regs[7'h32]);
    vec_lo = IW'(regs[7'h33]);
    vec_hi = IW'(regs[7'h34]);
    vectors = IW'(regs[7'h3C]);
    has_psum = psum_in_buf >= 0;
    whole_input = kh > IW'(MAX_KH) || kw > IW'(MAX_KW);
  end

  // ---------------------------------------------------------------- per-RUN constants
  // Registered in the RUN's issue cycle from the registers. The only divisions of the engine
  // are here, once per RUN on IW-bit values: the window position of the first vector and of the
  // slot jump, and the kernel position of a row block's first row. Everything per vector, lane
  // or channel below is a counter or a chain of increments.
  function logic [2*IW-1:0] divmod(input logic signed [IW-1:0] n, input logic signed [IW-1:0] d);
    logic [IW-1:0] q, rem;
    q = '0;
    rem = '0;
    if (d > 0 && n >= 0) begin
      q = IW'(n / d);
      rem = IW'(n % d);
    end
    divmod = {q, rem};
  endfunction
  logic signed [IW-1:0] k_area, k_rows, active_rows, rounds_q, phases, mag_bits, row_arrays;
  logic signed [IW-1:0] dil_h_in_w, stride_h_in_w, jump_x_sw, jump_y_sh, jump_y_sh_in_w;
  logic signed [IW-1:0] out_w_sw, jump_x, ref_col;
  logic [MAX_ROW_ARRAYS-1:0] ra_used;
  logic [MAX_ROW_ARRAYS*IW-1:0] ra_rows, ra_channel;
  logic [MAX_ROW_ARRAYS*PW-1:0] ra_start;  // gather position of the row array's first row
  logic [IW*6-1:0] first_pos;  // vector position of VEC_SLOT_LO (below)
  logic [OUT_LANES-1:0] out_lanes_on;  // the lanes of the RUN's output channels
  // temporaries of the setup
  logic signed [IW-1:0] s_q, s_rem, rpa_c, rpa_ky, rpa_kx, c_b, ky_b, kx_b, rows_left, s_b, chb;
  logic signed [IW-1:0] s_jump, s_jy, s_oy, s_ox, s_iy, s_ix;
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (run_start) begin
      k_area = kh * kw;
      k_rows = in_c_cnt * k_area;
      active_rows = rows_per_array < k_rows ? rows_per_array : k_rows;
      // input phases (quant::input_chunks): twos-complement signed inputs add a sign phase
      mag_bits = signed_input && !input_offset ? IW'(act_bits) - IW'(1) : IW'(act_bits);
      phases = signed_input && !input_offset ? IW'(1) : IW'(0);
      for (int j = 0; j < 16; j++) if (IW'(j) * IW'(dac) < mag_bits) phases = phases + 1'b1;
      ref_col = weights_per_array * slices;
      for (int n = 0; n < OUT_LANES; n++) out_lanes_on[n] = IW'(n) < out_c_cnt;
      rounds_q = IW'(((out_c_per_group < weights_per_array ? out_c_per_group : weights_per_array)
                      * slices + (ref_weights ? IW'(1) : IW'(0)) + IW'(ADCS) - IW'(1)) / IW'(ADCS));
      row_arrays = groups * row_blocks;
      dil_h_in_w = dil_h * in_w;
      stride_h_in_w = stride_h * in_w;
      out_w_sw = out_w * stride_w;
      // the first vector (slot VEC_SLOT_LO) and the jump from slot VEC_SLOT_HI - 1 to the next
      // period's VEC_SLOT_LO, in output rows and columns
      {s_oy, s_ox} = divmod(vec_lo, out_w);
      s_iy = s_oy * stride_h - pad_t;
      s_ix = s_ox * stride_w - pad_l;
      first_pos = {vec_lo, vec_lo, s_ox, s_iy, s_ix, s_iy * in_w + s_ix};
      s_jump = vec_period - vec_hi + vec_lo + 1'b1;
      {s_jy, jump_x} = divmod(s_jump, out_w);
      jump_x_sw = jump_x * stride_w;
      jump_y_sh = s_jy * stride_h;
      jump_y_sh_in_w = jump_y_sh * in_w;
      // row arrays ra = gi * ROW_BLOCKS + b: block b starts at matrix row b * ROWS_PER_ARRAY
      {s_q, s_rem} = divmod(rows_per_array, k_area);
      rpa_c = s_q;
      {rpa_ky, rpa_kx} = divmod(s_rem, kw);
      c_b = '0;
      ky_b = '0;
      kx_b = '0;
      rows_left = k_rows;
      s_b = '0;
      chb = in_c_off;
      for (int ra = 0; ra < MAX_ROW_ARRAYS; ra++) begin
        ra_used[ra] = IW'(ra) < row_arrays;
        ra_rows[ra*IW+:IW] = rows_left < rows_per_array ? rows_left : rows_per_array;
        ra_channel[ra*IW+:IW] = chb;
        ra_start[ra*PW+:PW] = {IW'(0), c_b, ky_b, kx_b, ky_b * dil_h, kx_b * dil_w,
                               ky_b * dil_h_in_w};
        // the next row array: the next block of this conv group, or block 0 of the next group
        if (s_b + 1'b1 < row_blocks) begin
          s_b = s_b + 1'b1;
          rows_left = rows_left - rows_per_array;
          kx_b = kx_b + rpa_kx;
          ky_b = ky_b + rpa_ky;
          c_b = c_b + rpa_c;
          if (kx_b >= kw) begin
            kx_b = kx_b - kw;
            ky_b = ky_b + 1'b1;
          end
          if (ky_b >= kh) begin
            ky_b = ky_b - kh;
            c_b = c_b + 1'b1;
          end
        end else begin
          s_b = '0;
          chb = chb + in_c_step;
          rows_left = k_rows;
          c_b = '0;
          ky_b = '0;
          kx_b = '0;
        end
      end
    end
  end
  /* verilator lint_on BLKSEQ */

  // Output channel n of the unit (conv group gi, column block q, weight j of its array): the
  // logical array of its row block 0 within the copy, gi * ROW_BLOCKS * COL_BLOCKS + q, and its
  // first column j * SLICES. A chain over the channels, registered per RUN.
  logic [OUT_LANES*IW-1:0] lane_array, lane_col;
  logic signed [IW-1:0] m_nn, m_j, m_group_base, m_array, m_col;
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (run_start) begin
      m_nn = '0;
      m_j = '0;
      m_group_base = '0;
      m_array = '0;
      m_col = '0;
      for (int n = 0; n < OUT_LANES; n++) begin
        lane_array[n*IW+:IW] = m_array;
        lane_col[n*IW+:IW] = m_col;
        if (m_nn + 1'b1 == out_c_per_group) begin
          m_nn = '0;
          m_j = '0;
          m_group_base = m_group_base + row_blocks * col_blocks;
          m_array = m_group_base;
          m_col = '0;
        end else if (m_j + 1'b1 == weights_per_array) begin
          m_nn = m_nn + 1'b1;
          m_j = '0;
          m_array = m_array + 1'b1;
          m_col = '0;
        end else begin
          m_nn = m_nn + 1'b1;
          m_j = m_j + 1'b1;
          m_col = m_col + slices;
        end
      end
    end
  end
  /* verilator lint_on BLKSEQ */

  // ---------------------------------------------------------------- copy table
  // First tile of every copy (data ROM at COPY_TABLE, filled after SET COPY_TABLE, one word per
  // cycle: the compiler writes COPY_TABLE with the configuration, before SYNC); kept as the
  // physical index of the copy's logical array 0.
  logic signed [IW-1:0] copy_base[C];
  logic [CopyBits:0] copy_fill;
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
    if (!rst_n) copy_fill <= (CopyBits + 1)'(C);
    else if (set_valid && set_reg == 8'h23) copy_fill <= '0;
    else if (32'(copy_fill) < C) begin
      copy_base[CopyBits'(copy_fill)] <=
          (IW'($signed(copy_word[31:0])) - IW'(FIRST_TILE)) * IW'(ARRAYS_PER_TILE);
      copy_fill <= copy_fill + 1'b1;
    end
  end

  // Which copy drives physical array pa during the RUN and its row array (a chain over the
  // arrays of each copy: COL_BLOCKS arrays per row array).
  logic [NAV-1:0] owned;
  logic [CopyBits-1:0] owner[NAV];
  logic [RaBits-1:0] owner_ra[NAV];
  logic [NAV-1:0] copy_arrays[C];  // the arrays copy c drives
  logic signed [IW-1:0] o_q, o_ra;
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      owned = '0;
    end else if (run_start) begin
      owned = '0;
      for (int c = 0; c < C; c++) begin
        copy_arrays[c] = '0;
        o_q = '0;
        o_ra = '0;
        for (int pa = 0; pa < NA; pa++) begin
          if (IW'(c) < copies && IW'(pa) >= copy_base[c] &&
              IW'(pa) < copy_base[c] + groups * row_blocks * col_blocks) begin
            owned[pa] = 1'b1;
            owner[pa] = CopyBits'(c);
            owner_ra[pa] = RaBits'(o_ra);
            copy_arrays[c][pa] = 1'b1;
            if (o_q + 1'b1 == col_blocks) begin
              o_q = '0;
              o_ra = o_ra + 1'b1;
            end else o_q = o_q + 1'b1;
          end
        end
      end
    end
  end
  /* verilator lint_on BLKSEQ */

  // ---------------------------------------------------------------- arrays
  logic [NAV-1:0] a_wr_valid, a_in_clear, a_in_valid, a_in_bank;
  logic [NAV*RowBits-1:0] a_wr_row, a_in_row;
  // the wide per-array buses are arrays: an instance's port is then one element (a slice of a
  // flat vector at an arbitrary bit offset costs Verilator shifts in every port copy)
  logic [COLS*BITS_PER_CELL-1:0] a_wr_data[NAV];
  logic [LOAD_LANES*INPUT_BITS-1:0] a_in_data[NAV];
  logic [NAV-1:0] a_step_valid, a_step_ready, a_step_bank, a_step_negative, a_step_init;
  logic [NAV*GroupBits-1:0] a_step_group;
  logic [NAV*4-1:0] a_step_first_bit;
  logic [NAV*PhaseBits-1:0] a_step_bits;
  logic [NAV*RoundsBits-1:0] a_step_rounds;
  logic [NAV*2-1:0] a_step_tag;
  // the arrays' outputs are arrays too: one element per instance (a flat vector is rebuilt
  // every cycle as a chain of concatenations, each copying the whole vector)
  logic a_wr_ready[NAV];
  logic a_out_valid[NAV], a_out_first[NAV], a_out_last[NAV], a_out_negative[NAV], a_out_init[NAV];
  logic [RoundBits-1:0] a_out_round[NAV];
  logic [ADCS*SumBits-1:0] a_out_values[NAV];
  logic [InSumBits-1:0] a_out_in_sum[NAV];
  logic [3:0] a_out_first_bit[NAV];
  logic [1:0] a_out_tag[NAV];

  if (NA == 0) begin : g_no_arrays
    assign a_wr_ready[0] = 1'b1;
    assign a_step_ready = '1;
    assign a_out_valid[0] = 1'b0;
    assign a_out_first[0] = 1'b0;
    assign a_out_last[0] = 1'b0;
    assign a_out_negative[0] = 1'b0;
    assign a_out_init[0] = 1'b0;
    assign a_out_round[0] = '0;
    assign a_out_values[0] = '0;
    assign a_out_in_sum[0] = '0;
    assign a_out_first_bit[0] = '0;
    assign a_out_tag[0] = '0;
    logic unused_array_inputs;
    assign unused_array_inputs = ^{adc_shift, a_wr_valid, a_wr_row, a_wr_data[0], a_in_clear,
        a_in_valid, a_in_bank, a_in_row, a_in_data[0], a_step_valid, a_step_bank, a_step_negative,
        a_step_init, a_step_group, a_step_first_bit, a_step_bits, a_step_rounds, a_step_tag,
        a_out_first[0], a_out_negative[0], a_out_init[0], a_out_values[0], a_out_in_sum[0],
        a_out_first_bit[0]};
  end
  for (genvar a = 0; a < NA; a++) begin : g_array
   if (FOREIGN_TILES[a/ARRAYS_PER_TILE]) begin : g_foreign
    assign a_wr_ready[a] = 1'b1;
    assign a_step_ready[a] = 1'b1;
    assign a_out_valid[a] = 1'b0;
    assign {a_out_first[a], a_out_last[a], a_out_negative[a], a_out_init[a]} = '0;
    assign a_out_round[a] = '0;
    assign a_out_values[a] = '0;
    assign a_out_in_sum[a] = '0;
    assign a_out_first_bit[a] = '0;
    assign a_out_tag[a] = '0;
    logic unused_inputs;
    assign unused_inputs = ^{a_wr_valid[a], a_wr_row[a*RowBits+:RowBits],
        a_wr_data[a], a_in_clear[a], a_in_valid[a],
        a_in_bank[a], a_in_row[a*RowBits+:RowBits],
        a_in_data[a], a_step_valid[a],
        a_step_bank[a], a_step_negative[a], a_step_init[a], a_step_group[a*GroupBits+:GroupBits],
        a_step_first_bit[a*4+:4], a_step_bits[a*PhaseBits+:PhaseBits],
        a_step_rounds[a*RoundsBits+:RoundsBits], a_step_tag[a*2+:2], a_out_first[a],
        a_out_negative[a], a_out_init[a], a_out_values[a],
        a_out_in_sum[a], a_out_first_bit[a]};
   end else begin : g_own
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
        .wr_data(a_wr_data[a]),
        .in_clear(a_in_clear[a]),
        .in_valid(a_in_valid[a]),
        .in_bank(a_in_bank[a]),
        .in_row(a_in_row[a*RowBits+:RowBits]),
        .in_data(a_in_data[a]),
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
        .out_round(a_out_round[a]),
        .out_first(a_out_first[a]),
        .out_last(a_out_last[a]),
        .out_values(a_out_values[a]),
        .out_in_sum(a_out_in_sum[a]),
        .out_first_bit(a_out_first_bit[a]),
        .out_negative(a_out_negative[a]),
        .out_init(a_out_init[a]),
        .out_tag(a_out_tag[a])
    );
   end
  end

  // ---------------------------------------------------------------- reload writes
  // Per lane and own tile, one mask bit (a constant index) and the array it names: no search
  // over the arrays. rl_ready in a block of its own: it must not depend on rl_valid (the port's
  // lanes wait on it combinationally).
  localparam int TargetBits = NAV > 1 ? $clog2(NAV) : 1;
  logic [TargetBits-1:0] write_target;  // the array a lane writes on one tile
  logic [RELOAD_LANES-1:0] rl_ours;  // the lane's mask names a tile of this engine's range
  if (TILES > 0) begin : g_rl_ours
    always_comb
      for (int l = 0; l < RELOAD_LANES; l++)
        rl_ours[l] = |rl_tiles[l*CHIP_TILES+FIRST_TILE+:TILES];
    // a lane's ready: every own tile of its mask takes the row (the lanes are few: the port
    // carries the rows the bandwidth pays for)
    always_comb begin
      rl_ready = '1;
      for (int l = 0; l < RELOAD_LANES; l++)
        if (rl_ours[l] && 32'(rl_array[l*8+:8]) < ARRAYS_PER_TILE)
          for (int t = 0; t < TILES; t++)
            if (!FOREIGN_TILES[t] && rl_tiles[l*CHIP_TILES+FIRST_TILE+t] &&
                !a_wr_ready[t*ARRAYS_PER_TILE+32'(rl_array[l*8+:8])])
              rl_ready[l] = 1'b0;
    end
  end else begin : g_rl_none
    assign rl_ours = '0;
    assign rl_ready = '1;
    logic unused_ready;
    assign unused_ready = a_wr_ready[0];
  end
  /* verilator lint_off LATCH */  // (a_wr_data holds in simulation, below)
  always_comb begin
    a_wr_valid = '0;
    a_wr_row = '0;
`ifndef VERILATOR
    // (data without its valid is don't-care: simulation skips this fill of every array's row
    // in every cycle, and an array's data holds until its next write)
    for (int pa = 0; pa < NAV; pa++) a_wr_data[pa] = '0;
`endif
    write_target = '0;
    for (int l = 0; l < RELOAD_LANES; l++)
      if (rl_valid[l] && rl_ours[l] && 32'(rl_array[l*8+:8]) < ARRAYS_PER_TILE)
        for (int t = 0; t < TILES; t++)
          if (!FOREIGN_TILES[t] && rl_tiles[l*CHIP_TILES+FIRST_TILE+t]) begin
            write_target = TargetBits'(32'(t) * ARRAYS_PER_TILE + 32'(rl_array[l*8+:8]));
            a_wr_valid[write_target] = 1'b1;
            a_wr_row[32'(write_target)*RowBits+:RowBits] = RowBits'(rl_row[l*16+:16]);
            a_wr_data[write_target] =
                rl_data[l*ROW_BITS+:COLS*BITS_PER_CELL];
          end
  end
  /* verilator lint_on LATCH */

  // ---------------------------------------------------------------- vector positions
  // The engine's vectors: v with VEC_SLOT_LO <= v mod VEC_PERIOD < VEC_SLOT_HI, in order; the
  // j-th goes to copy j mod COPIES. A position {v, slot, ox, iy0, ix0, origin} (slot = v mod
  // VEC_PERIOD, ox = v mod OUT_W, iy0/ix0 the window's top-left input coordinates, origin =
  // iy0 * IN_W + ix0) advances by one of the engine's vectors without dividing: +1 within the
  // slots, else the constant jump to the next period's first slot.
  localparam int VP = 6 * IW;
  function logic [VP-1:0] advance(input logic [VP-1:0] p);
    logic signed [IW-1:0] v, slot, ox, iy, ix, org;
    {v, slot, ox, iy, ix, org} = p;
    if (slot + 1'b1 < vec_hi) begin
      v = v + 1'b1;
      slot = slot + 1'b1;
      if (ox + 1'b1 < out_w) begin
        ox = ox + 1'b1;
        ix = ix + stride_w;
        org = org + stride_w;
      end else begin
        org = org - ix - pad_l + stride_h_in_w;
        ox = '0;
        iy = iy + stride_h;
        ix = -pad_l;
      end
    end else begin
      v = v + vec_period - slot + vec_lo;
      slot = vec_lo;
      ox = ox + jump_x;
      ix = ix + jump_x_sw;
      iy = iy + jump_y_sh;
      org = org + jump_y_sh_in_w + jump_x_sw;
      if (ox >= out_w) begin
        ox = ox - out_w;
        ix = ix - out_w_sw;
        iy = iy + stride_h;
        org = org - out_w_sw + stride_h_in_w;
      end
    end
    advance = {v, slot, ox, iy, ix, org};
  endfunction
  // the first vector of copy c: c advances from VEC_SLOT_LO (registered one cycle after RUN)
  logic [VP-1:0] copy_first_pos[C];
  always_comb begin
    copy_first_pos[0] = first_pos;
    for (int c = 1; c < C; c++) copy_first_pos[c] = advance(copy_first_pos[c-1]);
  end
  // a copy's next vector after its current one: COPIES advances
  function logic [VP-1:0] advance_copies(input logic [VP-1:0] p);
    advance_copies = p;
    for (int i = 0; i < C; i++) if (IW'(i) < copies) advance_copies = advance(advance_copies);
  endfunction

  // ---------------------------------------------------------------- shift-add (two banks)
  // Per array pa, bank b and column col an ACC_BITS accumulator acc[acc_index(pa, b*ColsP +
  // col)] of the ADC values weighted by their phase (A << first_bit, subtracted for the sign
  // phase; the step's first round of a vector replaces), and per bank the input-level sum of
  // the steps in_acc[{pa, b}] (offset weights; docs/analog-model.md section 6). Wrapping
  // ACC_BITS arithmetic is exact as long as the final sums fit. One loop over the arrays, in
  // the engine: its code exists once (a module per array was copied per instance by Verilator)
  // and the accumulators are a memory the drain reads in place, one word per accumulator (a
  // part-select of a wider entry made Verilator copy the whole entry for every column).
  localparam int ColsP = Rounds * ADCS;
  // Power-of-two strides (the rest stay 0): an index of AccIndexBits + AccColBits bits is
  // always in range, so Verilator reads and writes the word without a bounds-checked copy.
  localparam int AccIndexBits = NAV > 1 ? $clog2(NAV) : 1;
  localparam int AccEntries = 1 << AccIndexBits;
  localparam int AccColBits = $clog2(2 * ColsP);
  logic [A-1:0] acc[AccEntries << AccColBits];
  logic [A-1:0] in_acc[2*AccEntries];
  /* verilator lint_off UNUSEDSIGNAL */
  function logic [AccIndexBits+AccColBits-1:0] acc_index(input logic [AccIndexBits-1:0] arr,
                                                         input logic [31:0] col);  // < 2*ColsP
    acc_index = {arr, AccColBits'(col)};
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */
  logic signed [A-1:0] sa_term, sa_old;
  logic [31:0] sa_col;
  logic [ADCS*SumBits-1:0] sa_values;
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      for (int e = 0; e < (AccEntries << AccColBits); e++) acc[e] = '0;
      for (int e = 0; e < 2 * AccEntries; e++) in_acc[e] = '0;
    end else begin
      for (int pa = 0; pa < NA; pa++) begin
        if (a_out_valid[pa]) begin
          // the round's first column in its bank
          sa_col = 32'(a_out_round[pa]) * ADCS;
          sa_values = a_out_values[pa];  // (once: an indexed read copies the entry)
          for (int i = 0; i < ADCS; i++) begin
            sa_term = A'(sa_values[i*SumBits+:SumBits]) << a_out_first_bit[pa];
            sa_old = a_out_init[pa] ? '0 :
                acc[acc_index(AccIndexBits'(pa), 32'(a_out_tag[pa][0]) * ColsP + sa_col + i)];
            acc[acc_index(AccIndexBits'(pa), 32'(a_out_tag[pa][0]) * ColsP + sa_col + i)] =
                sa_col + i >= COLS ? '0 :
                a_out_negative[pa] ? sa_old - sa_term : sa_old + sa_term;
          end
          if (a_out_first[pa]) begin
            sa_term = A'(a_out_in_sum[pa]) << a_out_first_bit[pa];
            sa_old = a_out_init[pa] ? '0 : in_acc[{AccIndexBits'(pa), a_out_tag[pa][0]}];
            in_acc[{AccIndexBits'(pa), a_out_tag[pa][0]}] =
                a_out_negative[pa] ? sa_old - sa_term : sa_old + sa_term;
          end
        end
      end
    end
  end
  /* verilator lint_on BLKSEQ */


  // ---------------------------------------------------------------- channel table cache
  // bias and requantizer of every output channel, TABLE_LANES channels per cycle from SET
  // TABLE on (a RUN starts no vector before the cache is filled)
  logic [OUT_LANES*A-1:0] bias;
  logic [OUT_LANES*48-1:0] mult;
  logic [OUT_LANES*6-1:0] rshift;
  logic [31:0] table_fill;
  logic [2*TABLE_LANES*64-1:0] table_words;
  logic table_ready;
  rom #(
      .WIDTH(64),
      .DEPTH(DATA_DEPTH),
      .LANES(2 * TABLE_LANES),
      .INIT_FILE(DATA_FILE)
  ) data_rom (
      .addr(DataAddrBits'(table_base + 2 * 64'(table_fill))),
      .data(table_words)
  );
  always_comb table_ready = table_fill >= OUT_LANES || IW'(table_fill) >= out_c_cnt || psum_out;
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (!rst_n) table_fill = OUT_LANES;
    else if (set_valid && set_reg == 8'h1A) table_fill = 32'd0;
    else if (table_fill < OUT_LANES) begin
      for (int i = 0; i < TABLE_LANES; i++) begin
        if (table_fill + 32'(i) < OUT_LANES) begin
          bias[(table_fill+32'(i))*A+:A] = A'(table_words[(2*i)*64+:64]);
          mult[(table_fill+32'(i))*48+:48] = table_words[(2*i+1)*64+:48];
          rshift[(table_fill+32'(i))*6+:6] = table_words[(2*i+1)*64+48+:6];
        end
      end
      table_fill = table_fill + TABLE_LANES;
    end
  end
  /* verilator lint_on BLKSEQ */

  // ---------------------------------------------------------------- per copy
  logic running, fresh;  // a RUN is running; its first cycle (per-RUN constants just set)
  logic [31:0] now;
  logic [C-1:0] start, ready, load_busy, loaded, loaded_bank, ld_on, ld_bank, load_last;
  logic [C-1:0] mvm_busy, mvm_bank, mvm_take, mvm_last, copy_step_ready, step_negative;
  logic [C-1:0] copy_end, copy_end_bank, drain_go, drain_bank, write_now, copy_late;
  logic [SlotBits-1:0] loaded_slot[C], ld_slot[C], drain_slot[C], write_slot[C];
  logic signed [IW-1:0] mvm_phase[C], mvm_group[C], mvm_group_row[C], ld_row[C];
  logic [7:0] mvm_first_bit[C], step_bits[C];
  logic [VP-1:0] pos_now[C];  // the copy's next vector
  logic signed [IW-1:0] ld_iy[C], ld_ix[C], ld_org[C];
  logic [GatherLanes*INPUT_BITS-1:0] lane_pattern;  // copy after copy (g_copy's PatBase)
  logic [31:0] copy_pattern_base[C];
  logic [C*OUT_LANES*A-1:0] drain_sum;  // the drained vector's channel sums (in drain_go)
  logic [OUT_LANES*32-1:0] drain_values[C];
  logic signed [IW-1:0] slot_v[C*SLOTS];
  logic [C*SLOTS-1:0] slot_ready;
  logic [SlotBits:0] in_flight[C];  // vectors started, not yet written

  // ---------------------------------------------------------------- drain: weight sums
  // Column col of an array holds slice col mod SLICES of a weight (its first column a multiple
  // of SLICES): it counts << (slice * bpc), the sign slice of two's-complement weights
  // -(<< (weight_bits - 1)). Set per RUN, a chain over the columns.
  logic [7:0] col_shift[ColsP];
  logic [ColsP-1:0] col_negative, col_first;
  logic signed [IW-1:0] cs_slice;
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (run_start) begin
      cs_slice = '0;
      for (int col = 0; col < ColsP; col++) begin
        col_first[col] = cs_slice == 0;
        col_negative[col] = twos_weights && cs_slice == slices - 1'b1;
        col_shift[col] = col_negative[col] ? weight_bits - 8'd1 : 8'(cs_slice) * bpc;
        cs_slice = cs_slice + 1'b1 == slices ? '0 : cs_slice + 1'b1;
      end
    end
  end
  /* verilator lint_on BLKSEQ */
  // In a drain cycle, per array of a draining copy (its drained bank), a running sum over the
  // columns that restarts at each weight's first slice from -correction (the array's reference
  // column and offset terms): seg[{pa, col}]. At a weight's last slice it is that weight's sum
  // on this array, so a channel reads one word per row block where it read SLICES + 2 (the
  // drain's reads were 85% of a small engine's logic); the writes are at constant indices.
  localparam int SegBits = ColsP > 1 ? $clog2(ColsP) : 1;
  logic [A-1:0] seg[AccEntries << SegBits];
  logic signed [A-1:0] sg_sum, sg_correction, sg_col;
  logic [31:0] sg_bank;
  /* verilator lint_off LATCH */  // (the sums hold in simulation outside drains)
  always_comb begin
`ifndef VERILATOR
    // (only read in drains: simulation skips this fill; synthesis gets no latches)
    for (int e = 0; e < (AccEntries << SegBits); e++) seg[e] = '0;
`endif
    sg_sum = '0;
    sg_correction = '0;
    sg_col = '0;
    sg_bank = '0;
    if (drain_go != '0)
      for (int pa = 0; pa < NA; pa++)
        if (owned[pa] && drain_go[owner[pa]]) begin
          sg_bank = 32'(drain_bank[owner[pa]]);
          sg_correction = '0;
          if (ref_weights)
            sg_correction = acc[acc_index(AccIndexBits'(pa), sg_bank * ColsP + 32'(ref_col))] <<<
                (weight_bits - (bpc < weight_bits ? bpc : weight_bits));
          if (offset_weights || ref_weights)
            sg_correction = sg_correction + ($signed(in_acc[{AccIndexBits'(pa), sg_bank[0]}]) <<<
                                             (weight_bits - 8'd1));
          for (int col = 0; col < ColsP; col++)
            if (IW'(col) < ref_col) begin  // (the weights' columns: the lanes read no further)
              sg_col = acc[acc_index(AccIndexBits'(pa), sg_bank * ColsP + 32'(col))];
              if (col_first[col]) sg_sum = -sg_correction;
              sg_sum = col_negative[col] ? sg_sum - (sg_col <<< col_shift[col]) :
                  sg_sum + (sg_col <<< col_shift[col]);
              seg[{AccIndexBits'(pa), SegBits'(col)}] = sg_sum;
            end
        end
  end
  /* verilator lint_on LATCH */

  // Output channel n of a copy: its weight's sum (at its last slice, column first + SLICES - 1)
  // over the row blocks.
  function logic signed [A-1:0] channel_sum(input logic signed [IW-1:0] base, input int n);
    logic signed [A-1:0] s;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [31:0] arr;  // (an index of AccEntries arrays: its high bits are unused)
    /* verilator lint_on UNUSEDSIGNAL */
    logic [SegBits-1:0] last;  // the weight's last slice column
    s = '0;
    last = SegBits'(lane_col[n*IW+:IW] + slices - 1'b1);
    for (int blk = 0; blk < MAX_ROW_BLOCKS; blk++) begin
      if (IW'(blk) < row_blocks) begin
        arr = 32'(IW'(base + $signed(lane_array[n*IW+:IW]) + IW'(blk) * col_blocks));
        s = s + seg[{arr[AccIndexBits-1:0], last}];
      end
    end
    channel_sum = s;
  endfunction

  // applied pattern p = (x + o) mod 2^ab (docs/analog-model.md section 3)
  function logic [INPUT_BITS-1:0] pattern(input logic [31:0] x);
    logic [31:0] a;
    a = x + (signed_input && input_offset ? 32'd1 << (act_bits - 8'd1) : 32'd0);
    pattern = INPUT_BITS'(a & ((32'd1 << act_bits) - 32'd1));
  endfunction

  for (genvar c = 0; c < C; c++) begin : g_copy
    localparam int RaC = row_arrays_before(c + 1) - row_arrays_before(c);  // its row arrays
    localparam int GL = RaC * LOAD_LANES;  // its gather lanes
    localparam int PatBase = row_arrays_before(c) * LOAD_LANES;  // its first input pattern
    localparam int RdBase = PatBase + c * OUT_LANES;  // its first read lane
    assign copy_pattern_base[c] = 32'(PatBase);
    logic [VP-1:0] pos;  // the next vector (after the RUN's first cycle)
    logic signed [IW-1:0] v, iy0, ix0, origin, pos_slot, pos_ox;
    logic pos_unused;
    logic signed [31:0] next_allowed;
    logic [SlotBits-1:0] start_slot;
    logic start_bank;  // input and accumulator bank of the next vector (alternating)
    logic [OUT_LANES*32-1:0] slot_data[SLOTS];  // (an array: the write copies one entry)
    logic [31:0] slot_due[SLOTS];
    logic load_bank;
    logic [SlotBits-1:0] load_slot;
    logic signed [IW-1:0] load_row, load_iy, load_ix, load_org;
    logic [SlotBits-1:0] bank_slot[2];  // the result slot of the vector on accumulator bank b
    logic [RaC*PW-1:0] ld_pos, gather_pos, gather_next;
    logic [GL-1:0] g_used, g_inside;
    logic [GL*PIX_BITS-1:0] g_pixel;
    logic [GL*CH_BITS-1:0] g_channel;

    // ---- timing shell: readiness of the next vector (window taps, partial-sum pixel)
    always_comb begin
      pos_now[c] = fresh ? copy_first_pos[c] : pos;
      {v, pos_slot, pos_ox, iy0, ix0, origin} = pos_now[c];
      pos_unused = ^{pos_slot, pos_ox};
      for (int t = 0; t < VQC - 1; t++)
        vq_buf[(c*VQC+t)*BUF_BITS+:BUF_BITS] = regs[7'h01][BUF_BITS-1:0];
      vq_buf[(c*VQC+VQC-1)*BUF_BITS+:BUF_BITS] = psum_in_buf[BUF_BITS-1:0];
      for (int ky = 0; ky < MAX_KH; ky++)
        for (int kx = 0; kx < MAX_KW; kx++)
          vq_pixel[(c*VQC+ky*MAX_KW+kx)*PIX_BITS+:PIX_BITS] =
              PIX_BITS'(origin + IW'(ky) * dil_h_in_w + IW'(kx) * dil_w);
      vq_pixel[(c*VQC+VQC-1)*PIX_BITS+:PIX_BITS] = PIX_BITS'(v);
    end
    // (a separate block: the queries' answers depend on the addresses above)
    always_comb begin
      ready[c] = whole_input ? vq_all[c*VQC] : 1'b1;
      for (int ky = 0; ky < MAX_KH; ky++)
        for (int kx = 0; kx < MAX_KW; kx++) begin
          if (!whole_input && IW'(ky) < kh && IW'(kx) < kw &&
              iy0 + IW'(ky) * dil_h >= 0 && iy0 + IW'(ky) * dil_h < in_h &&
              ix0 + IW'(kx) * dil_w >= 0 && ix0 + IW'(kx) * dil_w < in_w &&
              !vq_valid[c*VQC+ky*MAX_KW+kx])
            ready[c] = 1'b0;
        end
      if (has_psum && !vq_valid[c*VQC+VQC-1]) ready[c] = 1'b0;
      // the LOAD stage must be free (a loaded vector not yet taken by the MVM stage holds it)
      start[c] = running && IW'(c) < copies && v < vectors && $signed(now) >= next_allowed &&
          ready[c] && !load_busy[c] && !loaded[c] && 32'(in_flight[c]) < SLOTS && table_ready;
    end

    // ---- LOAD as seen this cycle (the start cycle is the first load cycle)
    always_comb begin
      ld_on[c] = load_busy[c] || start[c];
      ld_bank[c] = start[c] ? start_bank : load_bank;
      ld_slot[c] = start[c] ? start_slot : load_slot;
      ld_row[c] = start[c] ? '0 : load_row;
      ld_iy[c] = start[c] ? iy0 : load_iy;
      ld_ix[c] = start[c] ? ix0 : load_ix;
      ld_org[c] = start[c] ? origin : load_org;
      ld_pos = start[c] ? ra_start[RaC*PW-1:0] : gather_pos;
      load_last[c] = ld_on[c] && ld_row[c] + IW'(LOAD_LANES) >= active_rows;
    end

    engine_weight_gather #(
        .ROW_ARRAYS(RaC),
        .LANES(LOAD_LANES),
        .IW(IW),
        .PIX_BITS(PIX_BITS),
        .CH_BITS(CH_BITS)
    ) gather (
        .active(ld_on[c]),
        .kh,
        .kw,
        .dil_h,
        .dil_w,
        .dil_h_in_w,
        .in_h,
        .in_w,
        .ra_used(ra_used[RaC-1:0]),
        .ra_rows(ra_rows[RaC*IW-1:0]),
        .ra_channel(ra_channel[RaC*IW-1:0]),
        .iy0(ld_iy[c]),
        .ix0(ld_ix[c]),
        .origin(ld_org[c]),
        .pos(ld_pos),
        .next_pos(gather_next),
        .used(g_used),
        .in_bounds(g_inside),
        .pixel(g_pixel),
        .channel(g_channel)
    );

    // read lanes: the gather lanes, then the partial sums of the vector being drained (only
    // the lanes of an active stage are filled in: the simulation skips idle copies)
    always_comb begin
      rd_en[RdBase+:(GL + OUT_LANES)] = '0;
      rd_buf[RdBase*BUF_BITS+:(GL + OUT_LANES)*BUF_BITS] = '0;
      rd_pixel[RdBase*PIX_BITS+:GL*PIX_BITS] = g_pixel;
      rd_channel[RdBase*CH_BITS+:GL*CH_BITS] = g_channel;
      rd_pixel[(RdBase+GL)*PIX_BITS+:OUT_LANES*PIX_BITS] = '0;
      rd_channel[(RdBase+GL)*CH_BITS+:OUT_LANES*CH_BITS] = '0;
      if (ld_on[c])
        for (int l = 0; l < GL; l++) begin
          rd_buf[(RdBase+l)*BUF_BITS+:BUF_BITS] = regs[7'h01][BUF_BITS-1:0];
          rd_en[RdBase+l] = g_inside[l];
        end
      if (has_psum && drain_go[c])
        for (int n = 0; n < OUT_LANES; n++) begin
          rd_en[RdBase+GL+n] = 1'b1;
          rd_buf[(RdBase+GL+n)*BUF_BITS+:BUF_BITS] = psum_in_buf[BUF_BITS-1:0];
          rd_pixel[(RdBase+GL+n)*PIX_BITS+:PIX_BITS] =
              PIX_BITS'(slot_v[c*SLOTS+32'(drain_slot[c])]);
          rd_channel[(RdBase+GL+n)*CH_BITS+:CH_BITS] = CH_BITS'(n);
        end
    end

    // the input patterns of the gather lanes (a separate block: they depend on the reads above)
    // (arrays read them only while the copy loads: in simulation they hold otherwise)
    /* verilator lint_off LATCH */
    always_comb begin
`ifndef VERILATOR
      lane_pattern[PatBase*INPUT_BITS+:GL*INPUT_BITS] = '0;
`endif
      if (ld_on[c])
        for (int l = 0; l < GL; l++)
          lane_pattern[(PatBase+l)*INPUT_BITS+:INPUT_BITS] =
              g_used[l] ? pattern(g_inside[l] ? rd_data[(RdBase+l)*32+:32] : 32'd0) : '0;
    end
    /* verilator lint_on LATCH */

    // ---- MVM: phases (the sign phase last) x row groups, in lock step on the copy's arrays
    always_comb begin
      copy_step_ready[c] = (copy_arrays[c] & ~a_step_ready) == '0;
      step_negative[c] = signed_input && !input_offset && mvm_phase[c] + 1'b1 == phases;
      step_bits[c] = step_negative[c] ? 8'd1 :
          8'(mag_bits) - mvm_first_bit[c] < dac ? 8'(mag_bits) - mvm_first_bit[c] : dac;
      mvm_last[c] = mvm_busy[c] && copy_step_ready[c] && mvm_phase[c] + 1'b1 == phases &&
          mvm_group_row[c] + IW'(PARALLEL_ROWS) >= active_rows;
      mvm_take[c] = (loaded[c] || load_last[c]) && (!mvm_busy[c] || mvm_last[c]);
    end

    // ---- DRAIN (the cycle after the last round was accumulated): the channel sums, then the
    // values (engine_weight_output per channel) into the result slot
    always_comb begin
      drain_sum[c*OUT_LANES*A+:OUT_LANES*A] = '0;
      if (drain_go[c])  // (not a ?: per lane: Verilator would read the accumulators every cycle)
        for (int n = 0; n < OUT_LANES; n++)
          drain_sum[(c*OUT_LANES+n)*A+:A] = channel_sum(copy_base[c], n);
    end

    engine_weight_output #(
        .ACC_BITS(A),
        .LANES(OUT_LANES)
    ) out (
        .valid(drain_go[c]),
        .sum(drain_sum[c*OUT_LANES*A+:OUT_LANES*A]),
        .has_psum,
        .psum(rd_data[(RdBase+GL)*32+:OUT_LANES*32]),
        .psum_out,
        .bias,
        .mult,
        .shift(rshift),
        .clamp_min,
        .clamp_max,
        .value(drain_values[c])
    );

    // ---- write: the oldest result slot, in its cycle s_k + DEPTH - 1 (or late)
    /* verilator lint_off LATCH */  // (wr_data holds in simulation, below)
    always_comb begin
      write_now[c] = running && in_flight[c] != '0 && slot_ready[c*SLOTS+32'(write_slot[c])] &&
          $signed(now) >= $signed(slot_due[write_slot[c]]);
      wr_en[c] = write_now[c];
      wr_done[c] = write_now[c];
      wr_buf[c*BUF_BITS+:BUF_BITS] = regs[7'h10][BUF_BITS-1:0];
      wr_pixel[c*PIX_BITS+:PIX_BITS] = PIX_BITS'(slot_v[c*SLOTS+32'(write_slot[c])]);
      wr_channel[c*CH_BITS+:CH_BITS] = CH_BITS'(regs[7'h12]);
      wr_mask[c*OUT_LANES+:OUT_LANES] = out_lanes_on;
`ifdef VERILATOR
      // (data without wr_en is don't-care: in simulation it holds, no copy of OUT_LANES
      // words per copy and cycle)
      if (write_now[c])
`endif
      wr_data[c*OUT_LANES*32+:OUT_LANES*32] = slot_data[write_slot[c]];
    end
    /* verilator lint_on LATCH */

    always_ff @(posedge clk) begin
      if (!rst_n) begin
        load_busy[c] <= 1'b0;
        loaded[c] <= 1'b0;
        mvm_busy[c] <= 1'b0;
        drain_go[c] <= 1'b0;
        copy_late[c] <= 1'b0;
        in_flight[c] <= '0;
        slot_ready[c*SLOTS+:SLOTS] <= '0;
      end else begin
        copy_late[c] <= 1'b0;
        if (run_start) begin
          next_allowed <= $signed(now) + 32'sd1;
          in_flight[c] <= '0;
          start_slot <= '0;
          start_bank <= 1'b0;
          write_slot[c] <= '0;
          slot_ready[c*SLOTS+:SLOTS] <= '0;
        end
        if (fresh) pos <= copy_first_pos[c];
        // start (the timing shell)
        if (start[c]) begin
          pos <= advance_copies(pos_now[c]);
          next_allowed <= $signed(now) + ii;
          start_slot <= 32'(start_slot) + 1 == SLOTS ? '0 : start_slot + 1'b1;
          start_bank <= !start_bank;
          slot_v[c*SLOTS+32'(start_slot)] <= v;
          slot_due[start_slot] <= now + 32'(depth) - 32'd1;
          slot_ready[c*SLOTS+32'(start_slot)] <= 1'b0;
          load_bank <= start_bank;
          load_slot <= start_slot;
          load_iy <= iy0;
          load_ix <= ix0;
          load_org <= origin;
        end else if (running && IW'(c) < copies && v < vectors && $signed(now) >= next_allowed &&
                     ready[c]) begin
          copy_late[c] <= 1'b1;  // the functional pipeline holds a start back
        end
        // LOAD
        if (ld_on[c]) begin
          load_busy[c] <= !load_last[c];
          load_row <= ld_row[c] + IW'(LOAD_LANES);
          gather_pos <= gather_next;
        end
        if (load_last[c] && !mvm_take[c]) begin
          loaded[c] <= 1'b1;
          loaded_bank[c] <= ld_bank[c];
          loaded_slot[c] <= ld_slot[c];
        end
        // MVM: take a loaded vector, then step through phases x row groups
        if (mvm_take[c]) begin
          if (loaded[c]) loaded[c] <= 1'b0;
          mvm_busy[c] <= 1'b1;
          mvm_bank[c] <= loaded[c] ? loaded_bank[c] : ld_bank[c];
          mvm_phase[c] <= '0;
          mvm_first_bit[c] <= '0;
          mvm_group[c] <= '0;
          mvm_group_row[c] <= '0;
          bank_slot[loaded[c] ? loaded_bank[c] : ld_bank[c]] <=
              loaded[c] ? loaded_slot[c] : ld_slot[c];
        end else if (mvm_busy[c] && copy_step_ready[c]) begin
          if (mvm_last[c]) mvm_busy[c] <= 1'b0;
          else if (mvm_group_row[c] + IW'(PARALLEL_ROWS) >= active_rows) begin
            mvm_group[c] <= '0;
            mvm_group_row[c] <= '0;
            mvm_phase[c] <= mvm_phase[c] + 1'b1;
            // the sign phase is bit ab - 1 alone
            mvm_first_bit[c] <= signed_input && !input_offset && mvm_phase[c] + IW'(2) == phases ?
                act_bits - 8'd1 : mvm_first_bit[c] + dac;
          end else begin
            mvm_group[c] <= mvm_group[c] + 1'b1;
            mvm_group_row[c] <= mvm_group_row[c] + IW'(PARALLEL_ROWS);
          end
        end
        // DRAIN
        drain_go[c] <= copy_end[c];
        if (copy_end[c]) begin
          drain_slot[c] <= bank_slot[copy_end_bank[c]];
          drain_bank[c] <= copy_end_bank[c];
        end
        if (drain_go[c]) begin
          slot_data[drain_slot[c]] <= drain_values[c];
          slot_ready[c*SLOTS+32'(drain_slot[c])] <= 1'b1;
        end
        // write
        if (start[c] && !write_now[c]) in_flight[c] <= in_flight[c] + 1'b1;
        if (!start[c] && write_now[c]) in_flight[c] <= in_flight[c] - 1'b1;
        if (write_now[c]) begin
          write_slot[c] <= 32'(write_slot[c]) + 1 == SLOTS ? '0 : write_slot[c] + 1'b1;
          if (now > slot_due[write_slot[c]]) copy_late[c] <= 1'b1;
        end
      end
    end
  end

  // the copy's first array reports the last round of a vector's last step (the copy's arrays
  // run in lock step)
  localparam int PaBits = NAV > 1 ? $clog2(NAV) : 1;
  logic [PaBits-1:0] first;  // (block-local declarations are beyond Yosys 0.23)
  logic [1:0] tag;
  always_comb begin
    first = '0;
    tag = '0;
    copy_end = '0;
    copy_end_bank = '0;
    for (int c = 0; c < C; c++)
      if (copy_arrays[c] != '0) begin  // its first array is copy_base[c]
        first = PaBits'(copy_base[c]);
        tag = a_out_tag[first];
        copy_end[c] = a_out_valid[first] && a_out_last[first] && tag[1];
        copy_end_bank[c] = tag[0];
      end
  end

  // ---------------------------------------------------------------- arrays <- copies
  integer array_copy;  // the copy that drives an array (below)
  /* verilator lint_off LATCH */  // (a_in_data holds in simulation, below)
  always_comb begin
    array_copy = 0;
    a_in_clear = '0;
    a_in_valid = '0;
    a_in_bank = '0;
    a_in_row = '0;
    a_step_valid = '0;
    a_step_bank = '0;
    a_step_negative = '0;
    a_step_init = '0;
    a_step_group = '0;
    a_step_first_bit = '0;
    a_step_bits = '0;
    a_step_rounds = '0;
    a_step_tag = '0;
    // Indexed by each array's owner (not a loop over copies: simulation speed); only the
    // arrays of a loading or stepping copy get their fields (the others are idle).
`ifndef VERILATOR
    for (int pa = 0; pa < NAV; pa++) a_in_data[pa] = '0;  // (don't-care: as a_wr_data)
`endif
    // (the loop only when a copy loads or steps: the engine idles through the reloads)
    if ((ld_on | mvm_busy) != '0)
      for (int pa = 0; pa < NA; pa++) begin
        if (owned[pa]) begin
          array_copy = 32'(owner[pa]);
          if (array_copy < C && (ld_on[array_copy] || mvm_busy[array_copy])) begin
            a_in_valid[pa] = ld_on[array_copy];
            a_in_clear[pa] = ld_on[array_copy] && ld_row[array_copy] == 0;
            a_in_bank[pa] = ld_bank[array_copy];
            a_in_row[pa*RowBits+:RowBits] = RowBits'(ld_row[array_copy]);
            if (ld_on[array_copy])
              a_in_data[pa] = lane_pattern[(copy_pattern_base[array_copy]+
                                            32'(owner_ra[pa])*LOAD_LANES)*INPUT_BITS+:
                                           LOAD_LANES*INPUT_BITS];
            a_step_valid[pa] = mvm_busy[array_copy];
            a_step_bank[pa] = mvm_bank[array_copy];
            a_step_group[pa*GroupBits+:GroupBits] = GroupBits'(mvm_group[array_copy]);
            a_step_first_bit[pa*4+:4] = mvm_first_bit[array_copy][3:0];
            a_step_bits[pa*PhaseBits+:PhaseBits] = PhaseBits'(step_bits[array_copy]);
            a_step_negative[pa] = step_negative[array_copy];
            a_step_init[pa] = mvm_phase[array_copy] == 0 && mvm_group[array_copy] == 0;
            a_step_rounds[pa*RoundsBits+:RoundsBits] = RoundsBits'(rounds_q);
            a_step_tag[pa*2+:2] = {mvm_phase[array_copy] + 1'b1 == phases &&
                                   mvm_group_row[array_copy] + IW'(PARALLEL_ROWS) >= active_rows,
                                   mvm_bank[array_copy]};
          end
        end
      end
  end
  /* verilator lint_on LATCH */

  // ---------------------------------------------------------------- RUN completion, late
  logic all_done, no_vectors;
  always_comb begin
    // no vectors: none at all, or an empty slot range (a mixed-configuration split that gives
    // this engine none of the unit's vectors)
    no_vectors = vectors <= 0 || vec_lo >= vec_hi;
    all_done = 1'b1;
    for (int c = 0; c < C; c++)
      if (IW'(c) < copies && ($signed(pos_now[c][VP-1-:IW]) < vectors ||
                              32'(in_flight[c]) > 32'(write_now[c])))
        all_done = 1'b0;
    run_done = run_start ? no_vectors : running && !fresh && all_done;
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      running <= 1'b0;
      fresh <= 1'b0;
      now <= 32'd0;
      late <= 1'b0;
    end else begin
      now <= now + 32'd1;
      fresh <= run_start && !no_vectors;
      if (run_start && !no_vectors) running <= 1'b1;
      else if (run_done) running <= 1'b0;
      if (|copy_late) late <= 1'b1;
    end
  end

  logic unused_bits;
  always_comb
    unused_bits = ^{section, table_words, copy_word[63:32], regs[7'h02], a_out_round[0],
                    rounds_q, ref_col};
  /* verilator lint_on WIDTHCONCAT */
endmodule
`default_nettype wire
