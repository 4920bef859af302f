`default_nettype none
// Test top: one pim_array feeding its pim_shift_add (the tag carries the accumulator bank).
module tb_pim_mvm #(
    parameter int ROWS = 32,
    parameter int COLS = 16,
    parameter int BITS_PER_CELL = 1,
    parameter int DAC_BITS = 1,
    parameter int INPUT_BITS = 8,
    parameter int PARALLEL_ROWS = 8,
    parameter int ADCS = 4,
    parameter int ADC_BITS = 3,
    parameter int ADC_MODE = 0,
    parameter int READ_CYCLES = 1,
    parameter int CONV_CYCLES = 2,
    parameter int WRITE_CYCLES = 2,
    parameter int LOAD_LANES = 4,
    localparam int Groups = (ROWS + PARALLEL_ROWS - 1) / PARALLEL_ROWS,
    localparam int Rounds = (COLS + ADCS - 1) / ADCS,
    localparam int RowBits = ROWS > 1 ? $clog2(ROWS) : 1,
    localparam int GroupBits = Groups > 1 ? $clog2(Groups) : 1,
    localparam int RoundsBits = $clog2(Rounds + 1),
    localparam int PhaseBits = $clog2(DAC_BITS + 1),
    localparam int ColBits = COLS > 1 ? $clog2(COLS) : 1,
    localparam int FullScale = PARALLEL_ROWS * ((1 << DAC_BITS) - 1) * ((1 << BITS_PER_CELL) - 1),
    localparam int SumBits = $clog2(FullScale + 1),
    localparam int InSumBits = $clog2(PARALLEL_ROWS * ((1 << DAC_BITS) - 1) + 1)
) (
    input wire logic clk,
    input wire logic rst_n,
    input wire logic wr_valid,
    output logic wr_ready,
    input wire logic [RowBits-1:0] wr_row,
    input wire logic [COLS*BITS_PER_CELL-1:0] wr_data,
    input wire logic in_clear,
    input wire logic in_valid,
    input wire logic in_bank,
    input wire logic [RowBits-1:0] in_row,
    input wire logic [LOAD_LANES*INPUT_BITS-1:0] in_data,
    input wire logic step_valid,
    output logic step_ready,
    input wire logic step_bank,
    input wire logic [GroupBits-1:0] step_group,
    input wire logic [3:0] step_first_bit,
    input wire logic [PhaseBits-1:0] step_bits,
    input wire logic [RoundsBits-1:0] step_rounds,
    input wire logic [4:0] step_adc_shift,
    input wire logic step_negative,
    input wire logic step_init,
    input wire logic step_acc_bank,
    output logic conv_valid,
    input wire logic [4:0] cfg_slices,
    input wire logic [4:0] cfg_weight_bits,
    input wire logic cfg_twos,
    input wire logic cfg_offset,
    input wire logic cfg_ref,
    input wire logic [ColBits-1:0] cfg_ref_col,
    input wire logic [4:0] cfg_ref_shift,
    input wire logic rd_valid,
    input wire logic rd_bank,
    input wire logic [ColBits-1:0] rd_channel,
    output logic rd_out_valid,
    output logic signed [31:0] rd_value
);
  logic [(Rounds > 1 ? $clog2(Rounds) : 1)-1:0] out_round;
  logic out_first, out_last, out_negative, out_init, out_tag;
  logic [ADCS*SumBits-1:0] out_values;
  logic [InSumBits-1:0] out_in_sum;
  logic [3:0] out_first_bit;

  pim_array #(
      .ROWS(ROWS), .COLS(COLS), .BITS_PER_CELL(BITS_PER_CELL), .DAC_BITS(DAC_BITS),
      .INPUT_BITS(INPUT_BITS), .PARALLEL_ROWS(PARALLEL_ROWS), .ADCS(ADCS), .ADC_BITS(ADC_BITS),
      .ADC_MODE(ADC_MODE), .READ_CYCLES(READ_CYCLES), .CONV_CYCLES(CONV_CYCLES),
      .WRITE_CYCLES(WRITE_CYCLES), .LOAD_LANES(LOAD_LANES), .TAG_BITS(1)
  ) array (
      .clk, .rst_n, .wr_valid, .wr_ready, .wr_row, .wr_data, .in_clear, .in_valid, .in_bank,
      .in_row, .in_data, .step_valid, .step_ready, .step_bank, .step_group, .step_first_bit,
      .step_bits, .step_rounds, .step_adc_shift, .step_negative, .step_init,
      .step_tag(step_acc_bank), .out_valid(conv_valid), .out_round, .out_first, .out_last,
      .out_values, .out_in_sum, .out_first_bit, .out_negative, .out_init, .out_tag
  );

  pim_shift_add #(
      .COLS(COLS), .ADCS(ADCS), .SUM_BITS(SumBits), .IN_SUM_BITS(InSumBits),
      .BITS_PER_CELL(BITS_PER_CELL), .ACC_BITS(32), .BANKS(2)
  ) shift_add (
      .clk, .rst_n, .res_valid(conv_valid), .res_round(out_round), .res_first(out_first),
      .res_values(out_values), .res_in_sum(out_in_sum), .res_first_bit(out_first_bit),
      .res_negative(out_negative), .res_init(out_init), .res_bank(out_tag), .cfg_slices,
      .cfg_weight_bits, .cfg_twos, .cfg_offset, .cfg_ref, .cfg_ref_col, .cfg_ref_shift, .rd_valid,
      .rd_bank, .rd_channel, .rd_out_valid, .rd_value
  );

  logic unused;
  assign unused = out_last;
endmodule
`default_nettype wire
