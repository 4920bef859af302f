`default_nettype none
// Mesh NoC router (docs/rtl.md, "NoC"): router (X, Y) of a MESH_X x MESH_Y mesh with LOCALS
// local ports (the hardware library's tiles_per_router: a concentrated mesh). Ports 0..3 are
// north (y-1), east (x+1), south (y+1), west (x-1); port 4+l is local port l.
// A flit is {dest local, dest y, dest x, DATA_BITS payload}; every flit is a packet of its own,
// routed dimension-ordered (XY: first along x, then along y, then out of its local port), which
// has no cyclic channel dependency on a mesh and so cannot deadlock.
// Input ports: a DEPTH-flit FIFO each, bypassed when empty (an uncontended flit leaves the cycle
// it arrives). Output ports: one register each; the four link ports use credit flow control
// (`out_credit` from the next router's input, DEPTH credits from reset; `in_credit` pulses when
// a flit leaves an input), local outputs hold their flit until `out_ready`. Each output grants
// one flit per cycle, round robin over the inputs. A flit whose destination is outside the mesh
// is dropped and raises `error` (sticky), as does a write into a full input FIFO.
module noc_router #(
    parameter int MESH_X = 2,
    parameter int MESH_Y = 2,
    parameter int X = 0,
    parameter int Y = 0,
    parameter int LOCALS = 1,
    parameter int DATA_BITS = 32,
    parameter int DEPTH = 4,
    localparam int XBits = MESH_X > 1 ? $clog2(MESH_X) : 1,
    localparam int YBits = MESH_Y > 1 ? $clog2(MESH_Y) : 1,
    localparam int LBits = LOCALS > 1 ? $clog2(LOCALS) : 1,
    localparam int FlitBits = LBits + YBits + XBits + DATA_BITS,
    localparam int Ports = 4 + LOCALS
) (
    input wire logic clk,
    input wire logic rst_n,
    input wire logic [Ports-1:0] in_valid,
    input wire logic [Ports*FlitBits-1:0] in_flit,
    output logic [Ports-1:0] in_ready,   // the input FIFO has room (local injection)
    output logic [Ports-1:0] in_credit,  // a flit left input p (credit to the upstream router)
    output logic [Ports-1:0] out_valid,
    output logic [Ports*FlitBits-1:0] out_flit,
    input wire logic [Ports-1:0] out_ready,  // link outputs: tie to 1 (credits guarantee room)
    input wire logic [3:0] out_credit,
    output logic error
);
  localparam int PortBits = $clog2(Ports);
  localparam int PtrBits = DEPTH > 1 ? $clog2(DEPTH) : 1;
  localparam int CountBits = $clog2(DEPTH + 1);
  localparam int North = 0, East = 1, South = 2, West = 3;
  // The link ports that lead to a router; the others never get credits.
  localparam logic [3:0] Links = {X > 0, Y < MESH_Y - 1, X < MESH_X - 1, Y > 0};

  function logic [PtrBits-1:0] next_ptr(input logic [PtrBits-1:0] ptr);
    next_ptr = 32'(ptr) == DEPTH - 1 ? '0 : ptr + 1'b1;
  endfunction

  logic [FlitBits-1:0] fifo[Ports*DEPTH];  // input p's slot s at p * DEPTH + s
  logic [PtrBits-1:0] rd_ptr[Ports], wr_ptr[Ports];
  logic [CountBits-1:0] count[Ports];
  logic [CountBits-1:0] credits[4];
  logic [PortBits-1:0] rr[Ports];  // round-robin: the input each output tries first
  logic [Ports-1:0] out_valid_q;
  logic [FlitBits-1:0] out_q[Ports];

  // The flit at the head of each input (the FIFO's, or the arriving one when it is empty).
  logic [Ports-1:0] head_valid, head_bad;
  logic [FlitBits-1:0] head[Ports];
  logic [PortBits-1:0] route[Ports];
  // At the mesh's edges some comparisons are constant (x < 0, x > MESH_X - 1).
  /* verilator lint_off CMPCONST */
  /* verilator lint_off UNSIGNED */
  always_comb begin
    for (int p = 0; p < Ports; p++) begin
      head_valid[p] = count[p] != 0 || in_valid[p];
      head[p] = count[p] != 0 ? fifo[p*DEPTH+32'(rd_ptr[p])] : in_flit[p*FlitBits+:FlitBits];
      head_bad[p] = 1'b0;
      route[p] = '0;
      if (32'(head[p][DATA_BITS+:XBits]) >= MESH_X ||
          32'(head[p][DATA_BITS+XBits+:YBits]) >= MESH_Y ||
          32'(head[p][DATA_BITS+XBits+YBits+:LBits]) >= LOCALS)
        head_bad[p] = 1'b1;
      else if (32'(head[p][DATA_BITS+:XBits]) > X) route[p] = PortBits'(East);
      else if (32'(head[p][DATA_BITS+:XBits]) < X) route[p] = PortBits'(West);
      else if (32'(head[p][DATA_BITS+XBits+:YBits]) > Y) route[p] = PortBits'(South);
      else if (32'(head[p][DATA_BITS+XBits+:YBits]) < Y) route[p] = PortBits'(North);
      else route[p] = PortBits'(4 + 32'(head[p][DATA_BITS+XBits+YBits+:LBits]));
    end
  end
  /* verilator lint_on UNSIGNED */
  /* verilator lint_on CMPCONST */

  // Switch allocation: each input asks for one output, so one round-robin arbiter per output:
  // the lowest requesting input at or above rr[o], else the lowest requesting input.
  logic [Ports-1:0] request[Ports];  // request[o][p]: input p's head goes to output o
  logic [Ports-1:0] grant_valid, pop, wrap_valid;
  logic [Ports-1:0] push, pop_stored;  // FIFO writes and reads (bypassed flits are neither)
  logic [PortBits-1:0] grant[Ports], wrap[Ports];
  always_comb begin
    for (int o = 0; o < Ports; o++) begin
      for (int p = 0; p < Ports; p++)
        request[o][p] = head_valid[p] && !head_bad[p] && 32'(route[p]) == o;
      if (!((o >= 4 || credits[o%4] != 0) && (!out_valid_q[o] || out_ready[o])))
        request[o] = '0;
      grant_valid[o] = 1'b0;
      grant[o] = '0;
      wrap_valid[o] = 1'b0;
      wrap[o] = '0;
      for (int p = Ports - 1; p >= 0; p--) begin
        if (request[o][p]) begin
          wrap_valid[o] = 1'b1;
          wrap[o] = PortBits'(p);
          if (p >= 32'(rr[o])) begin
            grant_valid[o] = 1'b1;
            grant[o] = PortBits'(p);
          end
        end
      end
      if (!grant_valid[o]) begin
        grant_valid[o] = wrap_valid[o];
        grant[o] = wrap[o];
      end
    end
    for (int p = 0; p < Ports; p++) begin
      pop[p] = head_valid[p] && head_bad[p];
      for (int o = 0; o < Ports; o++) if (grant_valid[o] && 32'(grant[o]) == p) pop[p] = 1'b1;
      // a flit arriving at an empty FIFO and leaving at once is never stored
      push[p] = in_valid[p] && in_ready[p] && !(count[p] == 0 && pop[p]);
      pop_stored[p] = pop[p] && count[p] != 0;
    end
  end

  always_ff @(posedge clk) begin
    for (int p = 0; p < Ports; p++) begin
      if (push[p]) fifo[p*DEPTH+32'(wr_ptr[p])] <= in_flit[p*FlitBits+:FlitBits];
      if (grant_valid[p]) out_q[p] <= head[grant[p]];
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      for (int p = 0; p < Ports; p++) begin
        rd_ptr[p] <= '0;
        wr_ptr[p] <= '0;
        count[p] <= '0;
        rr[p] <= '0;
      end
      for (int d = 0; d < 4; d++) credits[d] <= Links[d] ? CountBits'(DEPTH) : '0;
      out_valid_q <= '0;
      error <= 1'b0;
    end else begin
      for (int p = 0; p < Ports; p++) begin
        if (push[p]) wr_ptr[p] <= next_ptr(wr_ptr[p]);
        if (pop_stored[p]) rd_ptr[p] <= next_ptr(rd_ptr[p]);
        count[p] <= count[p] + CountBits'(push[p]) - CountBits'(pop_stored[p]);
        if (grant_valid[p]) begin
          out_valid_q[p] <= 1'b1;
          rr[p] <= 32'(grant[p]) == Ports - 1 ? '0 : grant[p] + 1'b1;
        end else if (out_ready[p]) out_valid_q[p] <= 1'b0;
      end
      for (int d = 0; d < 4; d++)
        credits[d] <= credits[d] - CountBits'(grant_valid[d]) + CountBits'(out_credit[d]);
      if ((|(head_valid & head_bad)) || (|(in_valid & ~in_ready))) error <= 1'b1;
    end
  end

  always_comb begin
    for (int p = 0; p < Ports; p++) begin
      in_ready[p] = 32'(count[p]) < DEPTH;
      out_flit[p*FlitBits+:FlitBits] = out_q[p];
    end
    in_credit = pop;
    out_valid = out_valid_q;
  end
endmodule
`default_nettype wire
