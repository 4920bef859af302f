`default_nettype none
// The instruction front end shared by the engines (docs/isa.md, "Controllers and programs"):
// fetches the engine's program ROM (combinational, one instruction per cycle), decodes
// NOP / SET / SYNC / RUN / DONE / HALT and hands SET and RUN to the engine's body.
// Timing (docs/isa.md): SET, NOP, DONE take one cycle; SYNC of section g leaves in the cycle
// after the global START g (or the cycle after SYNC when START g came earlier); RUN lasts until
// the body raises run_done (the next instruction issues in the cycle after run_done; run_done
// may be high in the RUN's own issue cycle).
module engine_sequencer #(
    parameter int ROM_DEPTH = 16,
    parameter PROGRAM_FILE = "",
    localparam int PcBits = ROM_DEPTH > 1 ? $clog2(ROM_DEPTH) : 1
) (
    input wire logic clk,
    input wire logic rst_n,
    // from the global controller: groups whose START has issued, this cycle included
    input wire logic [15:0] groups_started,
    // to the engine body
    output logic set_valid,
    output logic [7:0] set_reg,
    output logic [63:0] set_value,
    output logic run_start,
    input wire logic run_done,
    // to the global controller
    output logic done_pulse,  // DONE issues in this cycle
    output logic halted,
    output logic error,  // an undefined instruction (the engine stops)
    output logic [15:0] section
);
  localparam logic [7:0] OpNop = 8'h00, OpSet = 8'h01, OpSync = 8'h02, OpRun = 8'h03,
      OpDone = 8'h04, OpHalt = 8'h05;

  logic [PcBits-1:0] pc;
  logic [63:0] word;
  logic running;  // RUN issued, waiting for run_done
  logic stopped;
  logic [7:0] opcode;
  logic legal, advance;

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
    legal = 1'b1;
    case (opcode)
      OpSet: legal = 1'b1;
      OpNop, OpSync, OpRun, OpDone, OpHalt: legal = word[55:0] == 56'd0;
      default: legal = 1'b0;
    endcase
    set_valid = !stopped && !running && opcode == OpSet;
    set_reg = word[55:48];
    set_value = {{16{word[47]}}, word[47:0]};
    run_start = !stopped && !running && opcode == OpRun;
    done_pulse = !stopped && !running && opcode == OpDone;
  end

  always_comb begin
    advance = 1'b0;
    if (!stopped && legal) begin
      if (running) advance = run_done;
      else if (opcode == OpSync) advance = groups_started > section;
      else if (opcode == OpRun) advance = run_done;
      else advance = opcode != OpHalt;
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      pc <= '0;
      running <= 1'b0;
      stopped <= 1'b0;
      halted <= 1'b0;
      error <= 1'b0;
      section <= 16'd0;
    end else if (!stopped) begin
      if (!legal && !running) begin
        stopped <= 1'b1;
        error <= 1'b1;
      end else begin
        if (advance) begin
          pc <= pc + 1'b1;
          running <= 1'b0;
        end else if (run_start) begin
          running <= 1'b1;
        end
        if (done_pulse) section <= section + 16'd1;
        if (!running && opcode == OpHalt) begin
          stopped <= 1'b1;
          halted <= 1'b1;
        end
      end
    end
  end
endmodule
`default_nettype wire
