`default_nettype none
// The pseudo-PIM array (docs/rtl.md, "Datapath"; arithmetic: docs/analog-model.md): ROWS x COLS
// cells of BITS_PER_CELL bits, a double-buffered input register of INPUT_BITS-bit patterns, and
// a step engine. One step = READ one row group with one DAC phase (READ_CYCLES), then ADCS
// readout units convert `rounds` rounds of ADCS columns (CONV_CYCLES each). Column sums are
// popcounts of bit planes: cells are stored per (column, cell bit, row group) as a vector of the
// group's rows, inputs per (bank, input bit) as a vector of all rows. An idle array does no
// arithmetic (the sums are formed only in the cycle a conversion completes). The ports are
// those of a real macro, so it can be replaced by one.
module pim_array #(
    parameter int ROWS = 128,
    parameter int COLS = 128,
    parameter int BITS_PER_CELL = 2,
    parameter int DAC_BITS = 1,
    parameter int INPUT_BITS = 8,
    parameter int PARALLEL_ROWS = 64,
    parameter int ADCS = 8,
    parameter int ADC_BITS = 8,
    parameter int ADC_MODE = 0,  // 0 clip, 1 scale, 2 lossless
    parameter int READ_CYCLES = 1,
    parameter int CONV_CYCLES = 1,
    parameter int WRITE_CYCLES = 1,
    parameter int LOAD_LANES = 8,
    parameter int TAG_BITS = 1,
    localparam int Groups = (ROWS + PARALLEL_ROWS - 1) / PARALLEL_ROWS,
    localparam int Rounds = (COLS + ADCS - 1) / ADCS,
    localparam int RowBits = ROWS > 1 ? $clog2(ROWS) : 1,
    localparam int GroupBits = Groups > 1 ? $clog2(Groups) : 1,
    localparam int RoundBits = Rounds > 1 ? $clog2(Rounds) : 1,
    localparam int RoundsBits = $clog2(Rounds + 1),
    localparam int PhaseBits = $clog2(DAC_BITS + 1),
    localparam int FullScale = PARALLEL_ROWS * ((1 << DAC_BITS) - 1) * ((1 << BITS_PER_CELL) - 1),
    localparam int SUM_BITS = $clog2(FullScale + 1),
    localparam int IN_SUM_BITS = $clog2(PARALLEL_ROWS * ((1 << DAC_BITS) - 1) + 1)
) (
    input wire logic clk,
    input wire logic rst_n,
    // Weight write: one row of cell levels.
    input wire logic wr_valid /*verilator public*/,
    output logic wr_ready,
    input wire logic [RowBits-1:0] wr_row /*verilator public*/,
    input wire logic [COLS*BITS_PER_CELL-1:0] wr_data /*verilator public*/,
    // Input register: LOAD_LANES applied patterns per write.
    input wire logic in_clear /*verilator public*/,
    input wire logic in_valid /*verilator public*/,
    input wire logic in_bank /*verilator public*/,
    input wire logic [RowBits-1:0] in_row /*verilator public*/,
    input wire logic [LOAD_LANES*INPUT_BITS-1:0] in_data /*verilator public*/,
    // Step: one row group, one phase, `step_rounds` conversion rounds.
    input wire logic step_valid /*verilator public*/,
    output logic step_ready,
    input wire logic step_bank /*verilator public*/,
    input wire logic [GroupBits-1:0] step_group /*verilator public*/,
    input wire logic [3:0] step_first_bit /*verilator public*/,
    input wire logic [PhaseBits-1:0] step_bits /*verilator public*/,
    input wire logic [RoundsBits-1:0] step_rounds /*verilator public*/,
    input wire logic [4:0] step_adc_shift /*verilator public*/,
    input wire logic step_negative /*verilator public*/,
    input wire logic step_init /*verilator public*/,
    input wire logic [TAG_BITS-1:0] step_tag /*verilator public*/,
    // Results: one beat per conversion round.
    output logic out_valid,
    output logic [RoundBits-1:0] out_round,
    output logic out_first,
    output logic out_last,
    output logic [ADCS*SUM_BITS-1:0] out_values,
    output logic [IN_SUM_BITS-1:0] out_in_sum,
    output logic [3:0] out_first_bit,
    output logic out_negative,
    output logic out_init,
    output logic [TAG_BITS-1:0] out_tag
);
  // For Verilator, one class and one body of code for all instances (a design has hundreds), not
  // one inlined copy each. Instances share code only if it names nothing outside the instance:
  // hence public inputs (not replaced by the parent's nets) and no function calls (their
  // temporaries are numbered per call site).
  /*verilator no_inline_module*/
  localparam int P = PARALLEL_ROWS;
  localparam int ReadBits = $clog2(READ_CYCLES + 1) > 0 ? $clog2(READ_CYCLES + 1) : 1;
  localparam int ConvBits = CONV_CYCLES > 1 ? $clog2(CONV_CYCLES) : 1;
  localparam int WriteBits = WRITE_CYCLES > 1 ? $clog2(WRITE_CYCLES) : 1;
  localparam logic [31:0] MaxCode = (ADC_BITS >= 31) ? 32'h7fffffff : ((32'd1 << ADC_BITS) - 1);

  // Cell bit u of column c in row group g: cells[(c*BITS_PER_CELL+u)*Groups+g], bit r = row
  // g*P+r (a conversion reads whole words); input bit t of bank b: in_planes[b*INPUT_BITS+t],
  // bit r = row r (rows >= ROWS stay 0), one word written per input bit and load (a few memory
  // write ports for Yosys, not one per lane and bit). Written with blocking assignments
  // (memories: only the written words change, and Verilator keeps no per-cycle shadow copy), in
  // the step engine's clocked block, after its reads.
  localparam int GP = Groups * P;
  localparam logic [GP-1:0] RowMask = GP'({ROWS{1'b1}});
  logic [P-1:0] cells[COLS*BITS_PER_CELL*Groups];
  logic [GP-1:0] in_planes[2*INPUT_BITS];
  logic [GP-1:0] lane_mask, lane_bits;  // the loaded rows; their input bit t

  // ---- weight write port ----
  logic [WriteBits-1:0] write_wait;
  assign wr_ready = write_wait == '0;
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      write_wait <= '0;
    end else if (wr_valid && wr_ready) begin
      write_wait <= WriteBits'(WRITE_CYCLES - 1);
    end else if (write_wait != '0) begin
      write_wait <= write_wait - 1'b1;
    end
  end

  // ---- step engine ----
  logic busy;
  logic [ReadBits-1:0] read_left;
  logic [ConvBits-1:0] conv_count;
  logic [RoundBits-1:0] round;
  logic [RoundsBits-1:0] rounds;
  logic [GroupBits-1:0] group;
  logic [3:0] first_bit;
  logic [4:0] adc_shift;
  logic negative, init;
  logic [TAG_BITS-1:0] tag;
  // The DAC levels of the group's rows, bit a of row r at held[a*P+r] (sample-and-hold).
  logic [DAC_BITS*P-1:0] held;

  logic conv_fire, last_conv;
  assign conv_fire = busy && read_left == '0 && 32'(conv_count) == CONV_CYCLES - 1;
  assign last_conv = conv_fire && 32'(round) + 1 == 32'(rounds);
  assign step_ready = !busy || last_conv;

`ifndef VERILATOR
  localparam int CountBits = $clog2(P + 1);
  function automatic [CountBits-1:0] popcount(input logic [P-1:0] bits);
    popcount = '0;
    for (int r = 0; r < P; r++) popcount = popcount + CountBits'(bits[r]);
  endfunction
`endif

  // The sample of the group (the input bits [first_bit, first_bit + step_bits) of every row)
  // and the column sums of the round that completes, through the ADC: computed in the clocked
  // block below, only when they are used (as combinational blocks they ran in every
  // evaluation of every instance, busy or not).
  logic [DAC_BITS*P-1:0] sample;
  logic [ADCS*SUM_BITS-1:0] values;
  logic [IN_SUM_BITS-1:0] in_sum;
  logic [31:0] column_sum, code, remainder, half;
  logic [P-1:0] plane;

  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      busy <= 1'b0;
      out_valid <= 1'b0;
      read_left <= '0;
      conv_count <= '0;
      round <= '0;
      for (int k = 0; k < 2 * INPUT_BITS; k++) in_planes[k] = '0;
    end else begin
      out_valid <= conv_fire;
      if (conv_fire) begin
        values = '0;
        in_sum = '0;
        for (int a = 0; a < DAC_BITS; a++)
`ifdef VERILATOR
          in_sum = in_sum + IN_SUM_BITS'(32'($countones(held[a*P+:P])) << a);
`else
          in_sum = in_sum + IN_SUM_BITS'(32'(popcount(held[a*P+:P])) << a);
`endif
        for (int i = 0; i < ADCS; i++) begin
          if (32'(round) * ADCS + i < COLS) begin
            column_sum = '0;
            for (int u = 0; u < BITS_PER_CELL; u++) begin
              plane = cells[((32'(round)*ADCS+i)*BITS_PER_CELL+u)*Groups+32'(group)];
              for (int a = 0; a < DAC_BITS; a++)
`ifdef VERILATOR
                column_sum = column_sum + (32'($countones(held[a*P+:P] & plane)) << (a + u));
`else
                column_sum = column_sum + (32'(popcount(held[a*P+:P] & plane)) << (a + u));
`endif
            end
            if (ADC_MODE == 0) begin
              code = column_sum > MaxCode ? MaxCode : column_sum;
            end else if (ADC_MODE == 1) begin
              // round half to even at 2^adc_shift, clip to the top code, back to sum units
              code = column_sum >> adc_shift;
              remainder = column_sum & ((32'd1 << adc_shift) - 1);
              half = adc_shift == '0 ? 32'd0 : 32'd1 << (adc_shift - 1'b1);
              if (adc_shift != '0 && (remainder > half || (remainder == half && code[0])))
                code = code + 1;
              code = (code > MaxCode ? MaxCode : code) << adc_shift;
            end else begin
              code = column_sum;
            end
            values[i*SUM_BITS+:SUM_BITS] = SUM_BITS'(code);
          end
        end
        out_values <= values;
        out_in_sum <= in_sum;
        out_round <= round;
        out_first <= round == '0;
        out_last <= last_conv;
        out_first_bit <= first_bit;
        out_negative <= negative;
        out_init <= init;
        out_tag <= tag;
      end
      if (busy) begin
        if (read_left != '0) begin
          read_left <= read_left - 1'b1;
        end else if (32'(conv_count) == CONV_CYCLES - 1) begin
          conv_count <= '0;
          round <= round + 1'b1;
          if (last_conv) busy <= 1'b0;
        end else begin
          conv_count <= conv_count + 1'b1;
        end
      end
      if (step_valid && step_ready) begin
        busy <= 1'b1;
        read_left <= ReadBits'(READ_CYCLES);
        conv_count <= '0;
        round <= '0;
        rounds <= step_rounds;
        group <= step_group;
        first_bit <= step_first_bit;
        adc_shift <= step_adc_shift;
        negative <= step_negative;
        init <= step_init;
        tag <= step_tag;
        sample = '0;
        for (int a = 0; a < DAC_BITS; a++)
          if (a < 32'(step_bits) && 32'(step_first_bit) + a < INPUT_BITS)
            sample[a*P+:P] =
                in_planes[32'(step_bank)*INPUT_BITS+32'(step_first_bit)+a][32'(step_group)*P+:P];
        held <= sample;
      end
      // the writes last: the conversion and the sample above read the contents before the edge
      if (wr_valid && wr_ready)
        for (int k = 0; k < COLS * BITS_PER_CELL; k++)
          cells[k*Groups+32'(wr_row)/P][32'(wr_row)%P] = wr_data[k];
      if (in_clear)
        for (int t = 0; t < INPUT_BITS; t++) in_planes[32'(in_bank)*INPUT_BITS+t] = '0;
      if (in_valid) begin
        lane_mask = (GP'({LOAD_LANES{1'b1}}) << in_row) & RowMask;
        for (int t = 0; t < INPUT_BITS; t++) begin
          lane_bits = '0;
          for (int i = 0; i < LOAD_LANES; i++)
            if (i < GP) lane_bits[i] = in_data[i*INPUT_BITS+t];
          in_planes[32'(in_bank)*INPUT_BITS+t] = (in_planes[32'(in_bank)*INPUT_BITS+t] &
              ~lane_mask) | ((lane_bits << in_row) & lane_mask);
        end
      end
    end
  end
  /* verilator lint_on BLKSEQ */
endmodule
`default_nettype wire
