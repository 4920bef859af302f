`default_nettype none
// A MESH_X x MESH_Y mesh of noc_router (docs/rtl.md, "NoC") with LOCALS endpoints per router.
// Endpoint e = (y * MESH_X + x) * LOCALS + l. A flit injected at endpoint e (`inject_flit` =
// {dest local, dest y, dest x, payload}, taken when inject_valid and inject_ready) leaves at
// its destination endpoint (`eject_data`, held until eject_ready) after
//     hops * HOP_CYCLES + 1 cycles when uncontended (hops = |dx - sx| + |dy - sy|),
// the hardware library's hop_latency_cycles per hop: a hop is the router (one cycle) and
// HOP_CYCLES - 1 link registers. Credits return to the upstream router in the same cycle.
// `error`: some router dropped a flit with a destination outside the mesh.
module noc_mesh #(
    parameter int MESH_X = 2,
    parameter int MESH_Y = 2,
    parameter int LOCALS = 1,
    parameter int DATA_BITS = 32,
    parameter int DEPTH = 4,
    parameter int HOP_CYCLES = 1,
    localparam int XBits = MESH_X > 1 ? $clog2(MESH_X) : 1,
    localparam int YBits = MESH_Y > 1 ? $clog2(MESH_Y) : 1,
    localparam int LBits = LOCALS > 1 ? $clog2(LOCALS) : 1,
    localparam int FlitBits = LBits + YBits + XBits + DATA_BITS,
    localparam int Routers = MESH_X * MESH_Y,
    localparam int Ends = Routers * LOCALS
) (
    input wire logic clk,
    input wire logic rst_n,
    input wire logic [Ends-1:0] inject_valid,
    input wire logic [Ends*FlitBits-1:0] inject_flit,
    output logic [Ends-1:0] inject_ready,
    output logic [Ends-1:0] eject_valid,
    output logic [Ends*DATA_BITS-1:0] eject_data,
    input wire logic [Ends-1:0] eject_ready,
    output logic error
);
  localparam int Ports = 4 + LOCALS;
  localparam int Stages = HOP_CYCLES > 1 ? HOP_CYCLES - 1 : 1;

  // Flat per (router r, direction d) at index r*4 + d: what r sends (out_*), what r receives
  // (link_*), the credits r's input returns (credit_out) and those its output gets (credit_in).
  logic [Routers*4-1:0] link_valid, credit_in;
  logic [Routers*4*FlitBits-1:0] link_flit;
  /* verilator lint_off UNUSEDSIGNAL */  // the mesh's outer edges lead nowhere
  logic [Routers*4-1:0] out_valid, credit_out;
  logic [Routers*4*FlitBits-1:0] out_flit;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [Routers-1:0] router_error;

  genvar gx, gy, gd, gl;
  generate
    for (gy = 0; gy < MESH_Y; gy++) begin : g_row
      for (gx = 0; gx < MESH_X; gx++) begin : g_col
        localparam int R = gy * MESH_X + gx;
        logic [Ports-1:0] in_valid, out_v, out_ready;
        logic [Ports*FlitBits-1:0] in_flit;
        // links use credits, not in_ready; local inputs return no credits; ejected flits drop
        // their destination fields
        /* verilator lint_off UNUSEDSIGNAL */
        logic [Ports-1:0] in_ready, in_credit;
        logic [Ports*FlitBits-1:0] out_f;
        /* verilator lint_on UNUSEDSIGNAL */

        assign in_valid[3:0] = link_valid[R*4+:4];
        assign in_flit[4*FlitBits-1:0] = link_flit[R*4*FlitBits+:4*FlitBits];
        assign out_ready[3:0] = 4'b1111;
        assign out_valid[R*4+:4] = out_v[3:0];
        assign out_flit[R*4*FlitBits+:4*FlitBits] = out_f[4*FlitBits-1:0];
        assign credit_out[R*4+:4] = in_credit[3:0];
        for (gl = 0; gl < LOCALS; gl++) begin : g_local
          localparam int E = R * LOCALS + gl;
          assign in_valid[4+gl] = inject_valid[E];
          assign in_flit[(4+gl)*FlitBits+:FlitBits] = inject_flit[E*FlitBits+:FlitBits];
          assign inject_ready[E] = in_ready[4+gl];
          assign eject_valid[E] = out_v[4+gl];
          assign eject_data[E*DATA_BITS+:DATA_BITS] = out_f[(4+gl)*FlitBits+:DATA_BITS];
          assign out_ready[4+gl] = eject_ready[E];
        end

        noc_router #(
            .MESH_X(MESH_X),
            .MESH_Y(MESH_Y),
            .X(gx),
            .Y(gy),
            .LOCALS(LOCALS),
            .DATA_BITS(DATA_BITS),
            .DEPTH(DEPTH)
        ) router (
            .clk,
            .rst_n,
            .in_valid,
            .in_flit,
            .in_ready,
            .in_credit,
            .out_valid(out_v),
            .out_flit(out_f),
            .out_ready,
            .out_credit(credit_in[R*4+:4]),
            .error(router_error[R])
        );

        // The link into this router from direction d (north, east, south, west): the
        // neighbour's output facing us (index Nb*4 + (d+2)%4) through HOP_CYCLES - 1 registers;
        // credits go back from our input d to that output at once.
        for (gd = 0; gd < 4; gd++) begin : g_link
          localparam int Nb = gd == 0 ? R - MESH_X : gd == 1 ? R + 1 : gd == 2 ? R + MESH_X : R - 1;
          localparam int Has = gd == 0 ? 32'(gy > 0) : gd == 1 ? 32'(gx < MESH_X - 1) :
                               gd == 2 ? 32'(gy < MESH_Y - 1) : 32'(gx > 0);
          localparam int Here = R * 4 + gd;
          if (Has != 0) begin : g_on
            localparam int There = Nb * 4 + (gd + 2) % 4;
            if (HOP_CYCLES > 1) begin : g_reg
              logic [Stages-1:0] valid_q;
              logic [FlitBits-1:0] flit_q[Stages];
              always_ff @(posedge clk) begin
                if (!rst_n) valid_q <= '0;
                else valid_q <= Stages'({valid_q, out_valid[There]});
              end
              always_ff @(posedge clk) begin
                flit_q[0] <= out_flit[There*FlitBits+:FlitBits];
                for (int s = 1; s < Stages; s++) flit_q[s] <= flit_q[s-1];
              end
              assign link_valid[Here] = valid_q[Stages-1];
              assign link_flit[Here*FlitBits+:FlitBits] = flit_q[Stages-1];
            end else begin : g_wire
              assign link_valid[Here] = out_valid[There];
              assign link_flit[Here*FlitBits+:FlitBits] = out_flit[There*FlitBits+:FlitBits];
            end
            assign credit_in[Here] = credit_out[There];
          end else begin : g_edge
            assign link_valid[Here] = 1'b0;
            assign link_flit[Here*FlitBits+:FlitBits] = '0;
            assign credit_in[Here] = 1'b0;
          end
        end
      end
    end
  endgenerate

  assign error = |router_error;
endmodule
`default_nettype wire
