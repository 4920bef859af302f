`default_nettype none
// The LOAD stage's gather lanes of one copy (docs/isa.md, "Which weight is where"): in one load
// cycle, row array ra (conv group gi, row block b) loads its rows r .. r + LANES - 1, row r being
// matrix row k = b * ROWS_PER_ARRAY + r = (channel, ky, kx) in im2col order. No divisions: each
// row array carries the decomposition of its cycle's first row, every lane is the previous one
// plus one row (kx, then ky, then channel wrap), and the next cycle starts one row after the
// last lane. Combinational; the engine registers `next_pos`. An inactive gather (no LOAD cycle)
// computes nothing: its lanes are unused and next_pos = pos.
module engine_weight_gather #(
    parameter int ROW_ARRAYS = 1,
    parameter int LANES = 8,
    parameter int IW = 24,  // index width (signed)
    parameter int PIX_BITS = 16,
    parameter int CH_BITS = 16,
    // position of a row: {r, channel, ky, kx, ky*DIL_H, kx*DIL_W, ky*DIL_H*IN_W}
    localparam int PW = 7 * IW
) (
    input wire logic active,
    // per-RUN constants
    input wire logic signed [IW-1:0] kh,
    input wire logic signed [IW-1:0] kw,
    input wire logic signed [IW-1:0] dil_h,
    input wire logic signed [IW-1:0] dil_w,
    input wire logic signed [IW-1:0] dil_h_in_w,
    input wire logic signed [IW-1:0] in_h,
    input wire logic signed [IW-1:0] in_w,
    input wire logic [ROW_ARRAYS-1:0] ra_used,  // row array exists in the unit
    input wire logic [ROW_ARRAYS*IW-1:0] ra_rows,  // rows of the row array (its block's rows)
    input wire logic [ROW_ARRAYS*IW-1:0] ra_channel,  // input channel of its first row
    // the vector: window origin (oy * STRIDE_H - PAD_T, ox * STRIDE_W - PAD_L, its pixel index)
    input wire logic signed [IW-1:0] iy0,
    input wire logic signed [IW-1:0] ix0,
    input wire logic signed [IW-1:0] origin,
    // the first row of this cycle per row array, and of the next cycle
    input wire logic [ROW_ARRAYS*PW-1:0] pos,
    output logic [ROW_ARRAYS*PW-1:0] next_pos,
    // lane ra * LANES + l
    output logic [ROW_ARRAYS*LANES-1:0] used,  // a row of the unit (else the pattern is 0)
    output logic [ROW_ARRAYS*LANES-1:0] in_bounds,  // in_bounds the input (else a pad: code 0)
    output logic [ROW_ARRAYS*LANES*PIX_BITS-1:0] pixel,
    output logic [ROW_ARRAYS*LANES*CH_BITS-1:0] channel
);
  // '0 fills of lane vectors wider than 8k bits are intended (big designs have many lanes)
  /* verilator lint_off WIDTHCONCAT */
  logic signed [IW-1:0] r, ch, ky, kx, kyd, kxd, kyo, iy, ix;
  always_comb begin
    used = '0;
    in_bounds = '0;
    pixel = '0;
    channel = '0;
    next_pos = pos;
    {r, ch, ky, kx, kyd, kxd, kyo, iy, ix} = '0;
    if (active) begin
      for (int ra = 0; ra < ROW_ARRAYS; ra++) begin
        {r, ch, ky, kx, kyd, kxd, kyo} = pos[ra*PW+:PW];
        for (int l = 0; l < LANES; l++) begin
          iy = iy0 + kyd;
          ix = ix0 + kxd;
          used[ra*LANES+l] = ra_used[ra] && r < $signed(ra_rows[ra*IW+:IW]);
          in_bounds[ra*LANES+l] = used[ra*LANES+l] && iy >= 0 && iy < in_h && ix >= 0 && ix < in_w;
          pixel[(ra*LANES+l)*PIX_BITS+:PIX_BITS] = PIX_BITS'(origin + kyo + kxd);
          channel[(ra*LANES+l)*CH_BITS+:CH_BITS] = CH_BITS'($signed(ra_channel[ra*IW+:IW]) + ch);
          // one row on
          r = r + 1'b1;
          if (kx + 1'b1 < kw) begin
            kx = kx + 1'b1;
            kxd = kxd + dil_w;
          end else begin
            kx = '0;
            kxd = '0;
            if (ky + 1'b1 < kh) begin
              ky = ky + 1'b1;
              kyd = kyd + dil_h;
              kyo = kyo + dil_h_in_w;
            end else begin
              ky = '0;
              kyd = '0;
              kyo = '0;
              ch = ch + 1'b1;
            end
          end
        end
        next_pos[ra*PW+:PW] = {r, ch, ky, kx, kyd, kxd, kyo};
      end
    end
  end
  /* verilator lint_on WIDTHCONCAT */
endmodule
`default_nettype wire
