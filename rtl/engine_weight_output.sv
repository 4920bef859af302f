`default_nettype none
// The value a weight engine writes for one output channel (docs/isa.md, "RUN (weight engine)"):
// T = S + P (array sum plus partial sum); PSUM_OUT: T; else
// clamp(shift_round((T + bias) * M, sh)), as quant's int64 arithmetic. T + bias fits ACC_BITS
// (the accumulator's range), M is the table's 48-bit field: the product is that narrow
// multiplier's low 64 bits, which equal int64's wrapped product. Combinational.
module engine_weight_output #(
    parameter int ACC_BITS = 40
) (
    input wire logic signed [ACC_BITS-1:0] sum,  // S, wrapped to ACC_BITS
    input wire logic signed [31:0] psum,  // P (0 without PSUM_IN_BUF)
    input wire logic psum_out,
    input wire logic signed [ACC_BITS-1:0] bias,
    input wire logic signed [47:0] mult,
    input wire logic [5:0] shift,
    input wire logic signed [63:0] clamp_min,
    input wire logic signed [63:0] clamp_max,
    output logic [31:0] value
);
  logic signed [ACC_BITS-1:0] total, biased;
  logic signed [63:0] product, rounded;
  always_comb begin
    total = sum + ACC_BITS'(psum);
    biased = total + bias;
    product = biased * mult;
    rounded = shift == 6'd0 ? product : (product + (64'sd1 <<< (shift - 6'd1))) >>> shift;
    if (rounded < clamp_min) rounded = clamp_min;
    if (rounded > clamp_max) rounded = clamp_max;
    value = psum_out ? total[31:0] : rounded[31:0];
  end
endmodule
`default_nettype wire
