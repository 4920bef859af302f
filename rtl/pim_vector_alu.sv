`default_nettype none
// The vector engine's element unit (docs/rtl.md, "Datapath"; quant/int_ops.cpp):
//   r = sum or max of a run of inputs a (in_first starts the run, in_last ends it)
//   y = clamp(shift_round(r * ma + b * mb + c, s), clamp_min, clamp_max)
// with shift_round(x, s) = (x + 2^(s-1)) >>> s (s = 0: x), 64-bit arithmetic as the C++ int64.
// Add: r = a, (ma, mb, s) = SharedShift, or mb = 0 and c = the constant; pools: sum with
// (ma, s) = divide[count], or max with ma = 1, s = 0; Relu/Clip: ma = 1, s = 0; Concat:
// (ma, s) = input_requant; ChannelAffine: c = offset. y follows in_last by one cycle.
module pim_vector_alu (
    input wire logic clk,
    input wire logic rst_n,
    input wire logic in_valid,
    input wire logic in_first,
    input wire logic in_last,
    input wire logic in_op,  // 0 sum, 1 max
    input wire logic signed [31:0] in_a,
    input wire logic signed [31:0] in_b,
    input wire logic signed [31:0] cfg_ma,
    input wire logic signed [31:0] cfg_mb,
    input wire logic signed [63:0] cfg_c,
    input wire logic [5:0] cfg_shift,
    input wire logic signed [31:0] cfg_clamp_min,
    input wire logic signed [31:0] cfg_clamp_max,
    output logic out_valid,
    output logic signed [31:0] out_value
);
  logic signed [63:0] run, reduced, total, rounded;
  always_comb begin
    if (in_first) reduced = 64'(in_a);
    else if (in_op) reduced = 64'(in_a) > run ? 64'(in_a) : run;
    else reduced = run + 64'(in_a);
    total = reduced * 64'(cfg_ma) + 64'(in_b) * 64'(cfg_mb) + cfg_c;
    if (cfg_shift == '0) rounded = total;
    else rounded = (total + (64'sd1 <<< (cfg_shift - 1'b1))) >>> cfg_shift;
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      out_valid <= 1'b0;
      run <= '0;
    end else begin
      out_valid <= in_valid && in_last;
      if (in_valid) begin
        run <= reduced;
        if (in_last) begin
          if (rounded < 64'(cfg_clamp_min)) out_value <= cfg_clamp_min;
          else if (rounded > 64'(cfg_clamp_max)) out_value <= cfg_clamp_max;
          else out_value <= 32'(rounded);
        end
      end
    end
  end
endmodule
`default_nettype wire
