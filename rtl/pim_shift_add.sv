`default_nettype none
// Shift-add accumulator of one array (docs/rtl.md, "Datapath"; docs/analog-model.md section 6).
// Per physical column it accumulates the ADC values weighted by their input phase,
// col[c] (+|-)= A << first_bit, and per step the exact input-level sum (for offset weights).
// A readout combines the S slice columns of an output channel with their slice weights and
// subtracts the encoding's corrections. BANKS accumulator banks let one vector accumulate while
// the previous one is read out.
module pim_shift_add #(
    parameter int COLS = 128,
    parameter int ADCS = 8,
    parameter int SUM_BITS = 8,
    parameter int IN_SUM_BITS = 7,
    parameter int BITS_PER_CELL = 2,
    parameter int ACC_BITS = 32,
    parameter int BANKS = 2,
    parameter int MAX_SLICES = 16,
    localparam int Rounds = (COLS + ADCS - 1) / ADCS,
    localparam int RoundBits = Rounds > 1 ? $clog2(Rounds) : 1,
    localparam int ColBits = COLS > 1 ? $clog2(COLS) : 1
) (
    input wire logic clk,
    input wire logic rst_n,
    // Results of the array (its out_* ports).
    input wire logic res_valid,
    input wire logic [RoundBits-1:0] res_round,
    input wire logic res_first,
    input wire logic [ADCS*SUM_BITS-1:0] res_values,
    input wire logic [IN_SUM_BITS-1:0] res_in_sum,
    input wire logic [3:0] res_first_bit,
    input wire logic res_negative,
    input wire logic res_init,
    input wire logic res_bank,
    // Layer configuration (static while a layer runs).
    input wire logic [4:0] cfg_slices,
    input wire logic [4:0] cfg_weight_bits,
    input wire logic cfg_twos,
    input wire logic cfg_offset,
    input wire logic cfg_ref,
    input wire logic [ColBits-1:0] cfg_ref_col,
    input wire logic [4:0] cfg_ref_shift,
    // Readout of one output channel, one cycle later.
    input wire logic rd_valid,
    input wire logic rd_bank,
    input wire logic [ColBits-1:0] rd_channel,
    output logic rd_out_valid,
    output logic signed [ACC_BITS-1:0] rd_value
);
  logic [BANKS*COLS*ACC_BITS-1:0] columns;  // word w at [w*ACC_BITS +: ACC_BITS]
  logic signed [ACC_BITS-1:0] input_sums[BANKS];

  // First word of the accumulating / the read bank.
  logic [31:0] res_base, rd_base;
  assign res_base = BANKS > 1 && res_bank ? COLS : 0;
  assign rd_base = BANKS > 1 && rd_bank ? COLS : 0;

  // Accumulation: only the columns of the arriving round are touched (blocking writes: Verilator
  // keeps no per-cycle shadow copy of the flat vector).
  logic signed [ACC_BITS-1:0] term;
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (res_valid) begin
      for (int i = 0; i < ADCS; i++) begin
        if (32'(res_round) * ADCS + i < COLS) begin
          term = ACC_BITS'(res_values[i*SUM_BITS+:SUM_BITS]) <<< res_first_bit;
          if (res_negative) term = -term;
          columns[(res_base+32'(res_round)*ADCS+i)*ACC_BITS+:ACC_BITS] = res_init ? term :
              $signed(columns[(res_base+32'(res_round)*ADCS+i)*ACC_BITS+:ACC_BITS]) + term;
        end
      end
      if (res_first) begin
        term = ACC_BITS'(res_in_sum) <<< res_first_bit;
        if (res_negative) term = -term;
        input_sums[res_base != 0 ? 1 : 0] =
            res_init ? term : input_sums[res_base != 0 ? 1 : 0] + term;
      end
    end
  end
  /* verilator lint_on BLKSEQ */

  // Readout: sum_s (+|-) col[n*S+s] << first_bit_s, minus the corrections.
  logic signed [ACC_BITS-1:0] channel_sum, slice_value;
  logic [31:0] column;
  logic [4:0] slice_shift;
  always_comb begin
    channel_sum = '0;
    slice_value = '0;
    column = '0;
    slice_shift = '0;
    if (rd_valid) begin
      for (int s = 0; s < MAX_SLICES; s++) begin
        column = 32'(rd_channel) * 32'(cfg_slices) + s;
        if (s < 32'(cfg_slices) && column < COLS) begin
          if (cfg_twos && s + 1 == 32'(cfg_slices)) slice_shift = cfg_weight_bits - 1'b1;
          else slice_shift = 5'(s * BITS_PER_CELL);
          slice_value = $signed(columns[(rd_base+column)*ACC_BITS+:ACC_BITS]) <<< slice_shift;
          if (cfg_twos && s + 1 == 32'(cfg_slices)) channel_sum = channel_sum - slice_value;
          else channel_sum = channel_sum + slice_value;
        end
      end
      if (cfg_ref)
        channel_sum = channel_sum -
            ($signed(columns[(rd_base+32'(cfg_ref_col))*ACC_BITS+:ACC_BITS]) <<< cfg_ref_shift);
      if (cfg_offset)
        channel_sum = channel_sum - (input_sums[rd_base != 0 ? 1 : 0] <<< (cfg_weight_bits - 1'b1));
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      rd_out_valid <= 1'b0;
    end else begin
      rd_out_valid <= rd_valid;
      if (rd_valid) rd_value <= channel_sum;
    end
  end
endmodule
`default_nettype wire
