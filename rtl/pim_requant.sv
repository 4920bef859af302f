`default_nettype none
// Bias, requantization and clamp of one accumulator (quant::Requantizer, docs/quantization.md):
//   y = clamp(((v + bias) * M + 2^(s-1)) >>> s, clamp_min, clamp_max)   (s = 0: (v + bias) * M)
// in 64-bit two's complement arithmetic, as the C++ int64 computes it. One result per cycle,
// one cycle of latency.
module pim_requant #(
    parameter int IN_BITS = 32,
    parameter int MULT_BITS = 32,
    parameter int OUT_BITS = 32
) (
    input wire logic clk,
    input wire logic rst_n,
    input wire logic in_valid,
    input wire logic signed [IN_BITS-1:0] in_value,
    input wire logic signed [31:0] in_bias,
    input wire logic signed [MULT_BITS-1:0] in_mult,
    input wire logic [5:0] in_shift,
    input wire logic signed [OUT_BITS-1:0] in_clamp_min,
    input wire logic signed [OUT_BITS-1:0] in_clamp_max,
    output logic out_valid,
    output logic signed [OUT_BITS-1:0] out_value
);
  logic signed [63:0] biased, product, rounded;
  always_comb begin
    biased = 64'(in_value) + 64'(in_bias);
    product = biased * 64'(in_mult);
    if (in_shift == '0) rounded = product;
    else rounded = (product + (64'sd1 <<< (in_shift - 1'b1))) >>> in_shift;
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      out_valid <= 1'b0;
    end else begin
      out_valid <= in_valid;
      if (in_valid) begin
        if (rounded < 64'(in_clamp_min)) out_value <= in_clamp_min;
        else if (rounded > 64'(in_clamp_max)) out_value <= in_clamp_max;
        else out_value <= OUT_BITS'(rounded);
      end
    end
  end
endmodule
`default_nettype wire
