`default_nettype none
// The values a weight engine copy writes for the LANES output channels of a drained vector
// (docs/isa.md, "RUN (weight engine)"): T = S + P (array sum plus partial sum, P = 0 without
// PSUM_IN_BUF); PSUM_OUT: T; else clamp(shift_round((T + bias) * M, sh)), as quant's int64
// arithmetic. T + bias fits ACC_BITS (the accumulator's range), M is the table's 48-bit field:
// the product is that narrow multiplier's low 64 bits, which equal int64's wrapped product.
// Combinational, computed only when `valid` (else 0: an idle copy costs the simulation nothing).
module engine_weight_output #(
    parameter int ACC_BITS = 40,
    parameter int LANES = 8
) (
    input wire logic valid,
    input wire logic [LANES*ACC_BITS-1:0] sum,  // S per lane, wrapped to ACC_BITS
    input wire logic has_psum,
    input wire logic [LANES*32-1:0] psum,  // P per lane (read only with has_psum)
    input wire logic psum_out,
    input wire logic [LANES*ACC_BITS-1:0] bias,
    input wire logic [LANES*48-1:0] mult,
    input wire logic [LANES*6-1:0] shift,
    input wire logic signed [63:0] clamp_min,
    input wire logic signed [63:0] clamp_max,
    output logic [LANES*32-1:0] value
);
  logic signed [ACC_BITS-1:0] total, biased;
  logic signed [63:0] product, rounded;
  logic [5:0] sh;
  always_comb begin
    value = '0;
    total = '0;
    biased = '0;
    product = '0;
    rounded = '0;
    sh = '0;
    if (valid)
      for (int n = 0; n < LANES; n++) begin
        total = $signed(sum[n*ACC_BITS+:ACC_BITS]);
        if (has_psum) total = total + ACC_BITS'($signed(psum[n*32+:32]));
        biased = total + $signed(bias[n*ACC_BITS+:ACC_BITS]);
        product = biased * $signed(mult[n*48+:48]);
        sh = shift[n*6+:6];
        rounded = sh == 6'd0 ? product : (product + (64'sd1 <<< (sh - 6'd1))) >>> sh;
        if (rounded < clamp_min) rounded = clamp_min;
        if (rounded > clamp_max) rounded = clamp_max;
        value[n*32+:32] = psum_out ? total[31:0] : rounded[31:0];
      end
  end
endmodule
`default_nettype wire
