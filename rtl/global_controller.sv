`default_nettype none
// The global controller (docs/isa.md, "Global controller"): runs rom/global.hex. Per group:
// RELOAD the group's weights through the off-chip port, START the group (engines leave their
// SYNC), WAIT until every engine has issued DONE (the barrier); MARK starts the measured
// cycles, HALT ends them and raises `done`.
// Timing is the ISA's: RELOAD n issued at t lets the next instruction issue at
// t + max(XFER_CYCLES, WRITE_CYCLES) + ROW_WRITE (the cost model's reload formula). Should the
// off-chip port still be writing rows then (it never should: docs/rtl.md), the controller
// waits for it and raises `reload_overrun` so the testbench can report the deviation.
// WAIT issued at w: the next instruction issues at max(w + 1, d + 1), d = the cycle of the
// last engine's DONE (engines' done_pulse is seen in its own cycle).
module global_controller #(
    parameter int ENGINES = 1,
    parameter int ROM_DEPTH = 16,
    parameter PROGRAM_FILE = "",
    localparam int PcBits = ROM_DEPTH > 1 ? $clog2(ROM_DEPTH) : 1
) (
    input wire logic clk,
    input wire logic rst_n,
    // engines
    input wire logic [ENGINES-1:0] engine_done_pulse,
    output logic [15:0] groups_started,  // STARTs issued, this cycle's included
    // off-chip port
    output logic reload_start,
    output logic [47:0] reload_words,
    input wire logic reload_busy,
    // status
    output logic done,
    output logic error,
    output logic reload_overrun,
    output logic [63:0] cycle,  // cycles since reset
    output logic [63:0] measured_cycles  // HALT issue - MARK issue (valid when done)
);
  localparam logic [7:0] OpNop = 8'h00, OpSet = 8'h01, OpHalt = 8'h05, OpReload = 8'h10,
      OpStart = 8'h11, OpWait = 8'h12, OpMark = 8'h13;
  localparam logic [7:0] RegXfer = 8'h01, RegWrite = 8'h02, RegRowWrite = 8'h03;

  logic [PcBits-1:0] pc;
  logic [63:0] word;
  logic [7:0] opcode;
  logic legal, advance, busy_reload, stopped;
  logic [63:0] xfer_cycles, write_cycles, row_write, reload_left;
  logic [15:0] started;
  logic [ENGINES-1:0] engine_done;  // DONE seen in the current group
  logic [63:0] mark_cycle;
  logic [63:0] reload_length;

  always_comb
    reload_length = (xfer_cycles > write_cycles ? xfer_cycles : write_cycles) + row_write;

  rom #(
      .WIDTH(64),
      .DEPTH(ROM_DEPTH),
      .INIT_FILE(PROGRAM_FILE)
  ) program_rom (
      .addr(pc),
      .data(word)
  );

  always_comb begin
    opcode = word[63:56];
    case (opcode)
      OpSet: legal = word[55:48] >= RegXfer && word[55:48] <= RegRowWrite;
      OpReload, OpStart: legal = word[55:48] == 8'd0;
      OpNop, OpHalt, OpWait, OpMark: legal = word[55:0] == 56'd0;
      default: legal = 1'b0;
    endcase
    reload_start = !stopped && !busy_reload && legal && opcode == OpReload;
    reload_words = word[47:0];
    groups_started = started + 16'(!stopped && legal && opcode == OpStart);
    advance = 1'b0;
    if (!stopped && legal) begin
      case (opcode)
        OpReload:
        advance = busy_reload ? reload_left <= 64'd1 && !reload_busy : reload_length <= 64'd1;
        OpWait: advance = &(engine_done | engine_done_pulse);
        OpHalt: advance = 1'b0;
        default: advance = 1'b1;
      endcase
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      pc <= '0;
      stopped <= 1'b0;
      done <= 1'b0;
      error <= 1'b0;
      reload_overrun <= 1'b0;
      busy_reload <= 1'b0;
      reload_left <= 64'd0;
      xfer_cycles <= 64'd0;
      write_cycles <= 64'd0;
      row_write <= 64'd0;
      started <= 16'd0;
      engine_done <= '0;
      cycle <= 64'd0;
      mark_cycle <= 64'd0;
      measured_cycles <= 64'd0;
    end else begin
      cycle <= cycle + 64'd1;
      engine_done <= engine_done | engine_done_pulse;
      if (!stopped) begin
        if (!legal) begin
          stopped <= 1'b1;
          error <= 1'b1;
        end else begin
          if (advance) pc <= pc + 1'b1;
          case (opcode)
            OpSet: begin
              if (word[55:48] == RegXfer) xfer_cycles <= {{16{word[47]}}, word[47:0]};
              if (word[55:48] == RegWrite) write_cycles <= {{16{word[47]}}, word[47:0]};
              if (word[55:48] == RegRowWrite) row_write <= {{16{word[47]}}, word[47:0]};
            end
            OpReload: begin
              if (!busy_reload) begin
                // the next instruction issues max(XFER, WRITE) + ROW_WRITE cycles after this one
                busy_reload <= reload_length > 64'd1;
                reload_left <= reload_length - 64'd1;
              end else begin
                if (reload_left > 64'd0) reload_left <= reload_left - 64'd1;
                if (reload_left <= 64'd1 && reload_busy) reload_overrun <= 1'b1;
                if (advance) busy_reload <= 1'b0;
              end
            end
            OpStart: started <= started + 16'd1;
            OpWait: if (advance) engine_done <= '0;
            OpMark: mark_cycle <= cycle;
            OpHalt: begin
              stopped <= 1'b1;
              done <= 1'b1;
              measured_cycles <= cycle - mark_cycle;
            end
            default: ;
          endcase
        end
      end
    end
  end
endmodule
`default_nettype wire
