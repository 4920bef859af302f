`default_nettype none
// The shift-add of one array in a weight engine (docs/analog-model.md section 6): per bank and
// column an ACC_BITS accumulator of the ADC values weighted by their phase (A << first_bit,
// subtracted for the sign phase; the step's first round of a vector replaces), and per bank the
// input-level sum of the steps (offset weights). Wrapping ACC_BITS arithmetic is exact as long
// as the final sums fit. Rows of ADCS columns are selected with a static loop (one row changes
// per conversion), so neither Verilator nor Yosys shifts the whole vector.
module engine_weight_accumulate #(
    parameter int COLS = 32,
    parameter int ADCS = 8,
    parameter int SUM_BITS = 8,
    parameter int IN_SUM_BITS = 8,
    parameter int ACC_BITS = 40,
    localparam int Rounds = (COLS + ADCS - 1) / ADCS,
    localparam int RoundBits = Rounds > 1 ? $clog2(Rounds) : 1
) (
    input wire logic clk,
    // from the array (its out_* ports; bank = out_tag[0])
    input wire logic valid,
    input wire logic [RoundBits-1:0] round,
    input wire logic first,
    input wire logic [ADCS*SUM_BITS-1:0] values,
    input wire logic [IN_SUM_BITS-1:0] in_sum,
    input wire logic [3:0] first_bit,
    input wire logic negative,
    input wire logic init,
    input wire logic bank,
    // column col of bank b at [(b*Rounds*ADCS + col)*ACC_BITS +: ACC_BITS] (columns past COLS: 0)
    output logic [2*Rounds*ADCS*ACC_BITS-1:0] acc,
    output logic [2*ACC_BITS-1:0] in_acc
);
  localparam int A = ACC_BITS;
  logic signed [A-1:0] term, old;
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (valid) begin
      for (int row = 0; row < 2 * Rounds; row++) begin
        if (row == 32'(bank) * Rounds + 32'(round)) begin
          for (int i = 0; i < ADCS; i++) begin
            term = A'(values[i*SUM_BITS+:SUM_BITS]) << first_bit;
            old = init ? '0 : acc[(row*ADCS+i)*A+:A];
            acc[(row*ADCS+i)*A+:A] = (row % Rounds) * ADCS + i >= COLS ? '0 :
                negative ? old - term : old + term;
          end
        end
      end
      if (first) begin
        term = A'(in_sum) << first_bit;
        for (int b = 0; b < 2; b++) begin
          if (b == 32'(bank)) begin
            old = init ? '0 : in_acc[b*A+:A];
            in_acc[b*A+:A] = negative ? old - term : old + term;
          end
        end
      end
    end
  end
  /* verilator lint_on BLKSEQ */
endmodule
`default_nettype wire
