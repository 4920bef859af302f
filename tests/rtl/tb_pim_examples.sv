`default_nettype none
// The worked examples of docs/analog-model.md ("A worked example"), hand-computed, through
// pim_array + pim_shift_add in an event-driven simulator (Icarus: the popcount loop path, not
// Verilator's $countones). Prints one PASS/FAIL line per case.
//   EXAMPLE 0: 3-bit two's complement weights {3,-2,1,-1}, unsigned 2-bit inputs {3,1,2,3},
//              1-bit cells and DAC, 4 rows (P rows at once), 2 ADCs (two column rounds).
//   EXAMPLE 1: 4-bit weights {5,-3} with offset (ENC 1) or offset_ref (ENC 2) encoding, 2-bit
//              cells, inputs {9,6} through a 2-bit DAC; the reference column (level 2) is col 2.
module tb_pim_example #(
    parameter int EXAMPLE = 0,
    parameter int ENC = 0,
    parameter int P = 4,
    parameter int ADC_BITS = 8,
    parameter int ADC_MODE = 2,
    parameter int ADC_SHIFT = 0,
    parameter int EXPECT = 6
);
  localparam int Rows = EXAMPLE == 0 ? 4 : 2;
  localparam int Bpc = EXAMPLE == 0 ? 1 : 2;
  localparam int Dac = EXAMPLE == 0 ? 1 : 2;
  localparam int InputBits = EXAMPLE == 0 ? 2 : 4;
  localparam int Adcs = EXAMPLE == 0 ? 2 : 1;
  localparam int Cols = 3;
  localparam int Groups = (Rows + P - 1) / P;
  localparam int Rounds = (Cols + Adcs - 1) / Adcs;
  localparam int FullScale = P * ((1 << Dac) - 1) * ((1 << Bpc) - 1);
  localparam int SumBits = $clog2(FullScale + 1);
  localparam int InSumBits = $clog2(P * ((1 << Dac) - 1) + 1);
  localparam int RoundBits = Rounds > 1 ? $clog2(Rounds) : 1;

  logic clk = 1'b0, rst_n = 1'b0;
  always #5 clk = !clk;

  logic wr_valid = 1'b0, wr_ready;
  logic [$clog2(Rows)-1:0] wr_row = '0;
  logic [Cols*Bpc-1:0] wr_data = '0;
  logic in_clear = 1'b0, in_valid = 1'b0;
  logic [Rows*InputBits-1:0] in_data = '0;
  logic step_valid = 1'b0, step_ready;
  logic [(Groups > 1 ? $clog2(Groups) : 1)-1:0] step_group = '0;
  logic [3:0] step_first_bit = '0;
  logic [$clog2(Dac+1)-1:0] step_bits = '0;
  logic step_init = 1'b0;
  logic out_valid, out_first, out_last, out_negative, out_init, out_tag;
  logic [RoundBits-1:0] out_round;
  logic [Adcs*SumBits-1:0] out_values;
  logic [InSumBits-1:0] out_in_sum;
  logic [3:0] out_first_bit;
  logic rd_valid = 1'b0, rd_out_valid;
  logic signed [31:0] rd_value;

  pim_array #(
      .ROWS(Rows), .COLS(Cols), .BITS_PER_CELL(Bpc), .DAC_BITS(Dac), .INPUT_BITS(InputBits),
      .PARALLEL_ROWS(P), .ADCS(Adcs), .ADC_BITS(ADC_BITS), .ADC_MODE(ADC_MODE),
      .READ_CYCLES(1), .CONV_CYCLES(1), .WRITE_CYCLES(2), .LOAD_LANES(Rows), .TAG_BITS(1)
  ) array (
      .clk, .rst_n, .wr_valid, .wr_ready, .wr_row, .wr_data, .in_clear, .in_valid,
      .in_bank(1'b0), .in_row($clog2(Rows)'(0)), .in_data, .step_valid, .step_ready, .step_bank(1'b0),
      .step_group, .step_first_bit, .step_bits, .step_rounds(($clog2(Rounds + 1))'(Rounds)),
      .step_adc_shift(5'(ADC_SHIFT)), .step_negative(1'b0), .step_init, .step_tag(1'b1),
      .out_valid, .out_round, .out_first, .out_last, .out_values, .out_in_sum, .out_first_bit,
      .out_negative, .out_init, .out_tag
  );

  pim_shift_add #(
      .COLS(Cols), .ADCS(Adcs), .SUM_BITS(SumBits), .IN_SUM_BITS(InSumBits),
      .BITS_PER_CELL(Bpc), .ACC_BITS(32), .BANKS(2)
  ) shift_add (
      .clk, .rst_n, .res_valid(out_valid), .res_round(out_round), .res_first(out_first),
      .res_values(out_values), .res_in_sum(out_in_sum), .res_first_bit(out_first_bit),
      .res_negative(out_negative), .res_init(out_init), .res_bank(out_tag),
      .cfg_slices(EXAMPLE == 0 ? 5'd3 : 5'd2), .cfg_weight_bits(EXAMPLE == 0 ? 5'd3 : 5'd4),
      .cfg_twos(EXAMPLE == 0), .cfg_offset(ENC == 1), .cfg_ref(ENC == 2), .cfg_ref_col(2'd2),
      .cfg_ref_shift(5'd2), .rd_valid, .rd_bank(1'b1), .rd_channel(2'd0), .rd_out_valid, .rd_value
  );

  // Cell levels per row ({col2, col1, col0}) and the input patterns.
  function automatic [Cols*Bpc-1:0] row_cells(input int r);
    if (EXAMPLE == 0) row_cells = (Cols * Bpc)'(r == 0 ? 3 : r == 1 ? 6 : r == 2 ? 1 : 7);
    else row_cells = (Cols * Bpc)'(r == 0 ? 6'b10_11_01 : 6'b10_01_01);
  endfunction

  initial begin
    repeat (2) @(posedge clk);
    rst_n <= 1'b1;
    for (int r = 0; r < Rows; r++) begin
      wr_valid <= 1'b1;
      wr_row <= ($clog2(Rows))'(r);
      wr_data <= row_cells(r);
      @(posedge clk);
      while (!wr_ready) @(posedge clk);
    end
    wr_valid <= 1'b0;
    in_clear <= 1'b1;
    @(posedge clk);
    in_clear <= 1'b0;
    in_valid <= 1'b1;
    in_data <= EXAMPLE == 0 ? (Rows * InputBits)'({2'd3, 2'd2, 2'd1, 2'd3}) :
                              (Rows * InputBits)'({4'd6, 4'd9});
    @(posedge clk);
    in_valid <= 1'b0;
    @(posedge clk);
    for (int j = 0; j < 2; j++) begin
      for (int g = 0; g < Groups; g++) begin
        step_valid <= 1'b1;
        step_group <= ($bits(step_group))'(g);
        step_first_bit <= 4'(j * Dac);
        step_bits <= ($bits(step_bits))'(Dac);
        step_init <= j == 0 && g == 0;
        @(posedge clk);
        while (!step_ready) @(posedge clk);
      end
    end
    step_valid <= 1'b0;
    repeat (10) @(posedge clk);
    rd_valid <= 1'b1;
    @(posedge clk);
    rd_valid <= 1'b0;
    @(negedge clk);
    if (rd_out_valid && rd_value == EXPECT)
      $display("PASS example %0d enc %0d P %0d adc %0d/%0d: %0d", EXAMPLE, ENC, P, ADC_BITS,
               ADC_MODE, rd_value);
    else
      $display("FAIL example %0d enc %0d P %0d adc %0d/%0d: %0d, expected %0d", EXAMPLE, ENC, P,
               ADC_BITS, ADC_MODE, rd_value, EXPECT);
  end
endmodule

module tb_pim_examples;
  // EXAMPLE 0: exact 6; clip 2 bits exact; clip 1 bit -3; scale 2 bits (t = 1) 18;
  // two row blocks of 2 rows, clip 1 bit: 5 + (-3) = 2.
  tb_pim_example #(.EXAMPLE(0), .P(4), .ADC_MODE(2), .EXPECT(6)) lossless ();
  tb_pim_example #(.EXAMPLE(0), .P(4), .ADC_BITS(2), .ADC_MODE(0), .EXPECT(6)) clip2 ();
  tb_pim_example #(.EXAMPLE(0), .P(4), .ADC_BITS(1), .ADC_MODE(0), .EXPECT(-3)) clip1 ();
  tb_pim_example #(.EXAMPLE(0), .P(4), .ADC_BITS(2), .ADC_MODE(1), .ADC_SHIFT(1), .EXPECT(18))
      scale2 ();
  tb_pim_example #(.EXAMPLE(0), .P(2), .ADC_BITS(1), .ADC_MODE(0), .EXPECT(2)) blocks ();
  // EXAMPLE 1: offset exact 27, clip 2 bits -45; offset_ref exact 27, clip 2 bits 15,
  // scale 3 bits (LSB 4) 4.
  tb_pim_example #(.EXAMPLE(1), .ENC(1), .P(2), .ADC_MODE(2), .EXPECT(27)) offset_exact ();
  tb_pim_example #(.EXAMPLE(1), .ENC(1), .P(2), .ADC_BITS(2), .ADC_MODE(0), .EXPECT(-45))
      offset_clip2 ();
  tb_pim_example #(.EXAMPLE(1), .ENC(2), .P(2), .ADC_MODE(2), .EXPECT(27)) ref_exact ();
  tb_pim_example #(.EXAMPLE(1), .ENC(2), .P(2), .ADC_BITS(2), .ADC_MODE(0), .EXPECT(15))
      ref_clip2 ();
  tb_pim_example #(.EXAMPLE(1), .ENC(2), .P(2), .ADC_BITS(3), .ADC_MODE(1), .ADC_SHIFT(2),
                   .EXPECT(4)) ref_scale3 ();
  initial begin
    #2000 $finish;
  end
endmodule
`default_nettype wire
