`default_nettype none
// All activation buffers of the chip in one memory (docs/rtl.md, "Control"): buffer b (the ids
// of program.json `buffers[]`, docs/isa.md "Activation buffers") holds BUF_PIXELS[b] pixels of
// BUF_C[b] values, pixel-major (element (pixel, c) at word BUF_BASE[b] + pixel * BUF_C[b] + c),
// and one valid bit per pixel: a pixel is valid once BUF_WRITERS[b] writers have marked it
// done (column pieces of a unit, inputs of a Concat). Values are 32-bit two's complement
// (activation codes and partial sums alike). Engines address buffers by id at run time (the
// programs choose them per group), so one memory with per-engine ports replaces a crossbar.
//
// Per-buffer parameters are packed vectors of 32-bit fields, field b = buffer b. Ports:
// - RD_LANES read lanes (combinational): (buffer, pixel, channel) -> value and the pixel's
//   valid bit, for the lanes with rd_en set (the others read 0: engines enable only the lanes
//   they use in the cycle, so an idle engine costs the simulation nothing); every engine owns
//   a contiguous range of lanes (docs/rtl.md, "Top-level wiring");
// - VQ_LANES valid queries: (buffer, pixel) -> valid, and vq_all = every pixel of the buffer
//   is valid;
// - WR_PORTS write ports of WR_LANES lanes: wr_buf, wr_pixel, wr_channel (first lane), wr_mask,
//   wr_data; wr_done marks the pixel done for this writer (valid in the next cycle when it was
//   the last writer);
// - a host port (the testbench): flat word address, write before the start (network input)
//   and read after the end; PRELOADED buffers (bit b of BUF_PRELOADED) are valid from reset.
//
// A weight engine's input memory is an act_memory too (docs/rtl.md, "Input memories"): it
// holds only the buffers of BUF_HELD (at its own BUF_BASE / BUF_PIXEL_BASE), receives every
// write port of the chip (the activation bus multicasts each write to the memories that hold
// its buffer) and the host's writes at their chip-wide addresses (HOST_BASE), so its contents
// and valid bits equal the chip memory's, cycle for cycle.
module act_memory #(
    parameter int NBUF = 1,
    parameter int WORDS = 1,
    parameter int VALID_BITS = 1,
    parameter logic [NBUF*32-1:0] BUF_BASE = '0,
    parameter logic [NBUF*32-1:0] BUF_PIXEL_BASE = '0,
    parameter logic [NBUF*32-1:0] BUF_PIXELS = {NBUF{32'd1}},
    parameter logic [NBUF*32-1:0] BUF_C = {NBUF{32'd1}},
    parameter logic [NBUF*32-1:0] BUF_WRITERS = {NBUF{32'd1}},
    parameter logic [NBUF-1:0] BUF_PRELOADED = '0,
    parameter logic [NBUF-1:0] BUF_HELD = '1,
    parameter logic [NBUF*32-1:0] HOST_BASE = BUF_BASE,  // host address of each buffer
    parameter int HOST_WORDS = WORDS,  // the host's address space
    parameter int RD_LANES = 1,
    parameter int VQ_LANES = 1,
    parameter int WR_PORTS = 1,
    parameter int WR_LANES = 1,
    parameter int BUF_BITS = 8,
    parameter int PIX_BITS = 16,
    parameter int CH_BITS = 16,
    localparam int AddrBits = WORDS > 1 ? $clog2(WORDS) : 1,
    localparam int HostAddrBits = HOST_WORDS > 1 ? $clog2(HOST_WORDS) : 1
) (
    input wire logic clk,
    input wire logic rst_n,
    // read lanes
    input wire logic [RD_LANES*BUF_BITS-1:0] rd_buf,
    input wire logic [RD_LANES*PIX_BITS-1:0] rd_pixel,
    input wire logic [RD_LANES*CH_BITS-1:0] rd_channel,
    input wire logic [RD_LANES-1:0] rd_en,
    output logic [RD_LANES*32-1:0] rd_data,
    output logic [RD_LANES-1:0] rd_valid,
    // valid queries
    input wire logic [VQ_LANES*BUF_BITS-1:0] vq_buf,
    input wire logic [VQ_LANES*PIX_BITS-1:0] vq_pixel,
    output logic [VQ_LANES-1:0] vq_valid,
    output logic [VQ_LANES-1:0] vq_all,
    // write ports
    input wire logic [WR_PORTS-1:0] wr_en,
    input wire logic [WR_PORTS*BUF_BITS-1:0] wr_buf,
    input wire logic [WR_PORTS*PIX_BITS-1:0] wr_pixel,
    input wire logic [WR_PORTS*CH_BITS-1:0] wr_channel,
    input wire logic [WR_PORTS*WR_LANES-1:0] wr_mask,
    input wire logic [WR_PORTS*WR_LANES*32-1:0] wr_data,
    input wire logic [WR_PORTS-1:0] wr_done,
    // host
    input wire logic host_wr_en,
    input wire logic [HostAddrBits-1:0] host_addr,
    input wire logic [31:0] host_wr_data,
    output logic [31:0] host_rd_data
);
  localparam int ValidAddrBits = VALID_BITS > 1 ? $clog2(VALID_BITS) : 1;
  localparam int NbufBits = NBUF > 1 ? $clog2(NBUF) : 1;

  logic [31:0] mem[WORDS];
  logic [VALID_BITS*4-1:0] done_count;  // per pixel: writers that marked it done
  logic [31:0] valid_pixels[NBUF];  // pixels of buffer b that are valid

  // Field b of a packed parameter.
  function logic [31:0] field(input logic [NBUF*32-1:0] vec, input logic [BUF_BITS-1:0] b);
    field = vec[32*b+:32];
  endfunction

  // The word of element (pixel p, channel ch) of buffer b.
  function logic [AddrBits-1:0] word_addr(input logic [BUF_BITS-1:0] b,
                                          input logic [PIX_BITS-1:0] p,
                                          input logic [CH_BITS-1:0] ch);
    word_addr = AddrBits'(field(BUF_BASE, b) + 32'(p) * field(BUF_C, b) + 32'(ch));
  endfunction

  function logic held(input logic [BUF_BITS-1:0] b);
    held = 32'(b) < NBUF && BUF_HELD[NbufBits'(b)];
  endfunction

  function logic pixel_valid(input logic [BUF_BITS-1:0] b, input logic [PIX_BITS-1:0] p);
    pixel_valid = 32'(done_count[4*(field(BUF_PIXEL_BASE, b) + 32'(p))+:4]) >=
        field(BUF_WRITERS, b);
  endfunction

  // Lanes are visited 32 at a time, so that idle ones cost one test per word. (The ports are
  // plain variables: the generated top assembles the lanes of several engines in one block;
  // '0 fills wider than 8k bits pass Verilator's replication heuristic.)
  localparam int RdWords = (RD_LANES + 31) / 32;
  logic [RdWords*32-1:0] rd_en_q;
  /* verilator lint_off WIDTHCONCAT */
  always_comb begin
    rd_en_q = (RdWords * 32)'(rd_en);
    rd_data = '0;
    rd_valid = '0;
    for (int w = 0; w < RdWords; w++) begin
      if (rd_en_q[w*32+:32] != 32'd0) begin
        for (int l = w * 32; l < (w * 32 + 32 < RD_LANES ? w * 32 + 32 : RD_LANES); l++) begin
          if (rd_en_q[l]) begin
            rd_data[l*32+:32] = mem[word_addr(rd_buf[l*BUF_BITS+:BUF_BITS],
                                              rd_pixel[l*PIX_BITS+:PIX_BITS],
                                              rd_channel[l*CH_BITS+:CH_BITS])];
            rd_valid[l] = pixel_valid(rd_buf[l*BUF_BITS+:BUF_BITS], rd_pixel[l*PIX_BITS+:PIX_BITS]);
          end
        end
      end
    end
  end
  /* verilator lint_on WIDTHCONCAT */

  always_comb begin
    for (int l = 0; l < VQ_LANES; l++) begin
      vq_valid[l] = pixel_valid(vq_buf[l*BUF_BITS+:BUF_BITS], vq_pixel[l*PIX_BITS+:PIX_BITS]);
      vq_all[l] = valid_pixels[NbufBits'(vq_buf[l*BUF_BITS+:BUF_BITS])] >=
          field(BUF_PIXELS, vq_buf[l*BUF_BITS+:BUF_BITS]);
    end
  end

  // The host's chip-wide address: the word of a held buffer, if any.
  logic host_hit;
  logic [AddrBits-1:0] host_word;
  always_comb begin
    host_hit = 1'b0;
    host_word = '0;
    for (int b = 0; b < NBUF; b++) begin
      if (BUF_HELD[b] && 32'(host_addr) >= HOST_BASE[32*b+:32] &&
          32'(host_addr) < HOST_BASE[32*b+:32] + BUF_PIXELS[32*b+:32] * BUF_C[32*b+:32]) begin
        host_hit = 1'b1;
        host_word = AddrBits'(32'(host_addr) - HOST_BASE[32*b+:32] + BUF_BASE[32*b+:32]);
      end
    end
    host_rd_data = host_hit ? mem[host_word] : 32'd0;
  end

  /* verilator lint_off BLKSEQ */
  // Blocking writes: memories written in loops (Verilator's BLKLOOPINIT); reads are combinational.
  always_ff @(posedge clk) begin
    if (host_wr_en && host_hit) mem[host_word] = host_wr_data;
    for (int w = 0; w < WR_PORTS; w++) begin
      if (wr_en[w] && held(wr_buf[w*BUF_BITS+:BUF_BITS])) begin
        for (int l = 0; l < WR_LANES; l++) begin
          if (wr_mask[w*WR_LANES+l])
            mem[word_addr(wr_buf[w*BUF_BITS+:BUF_BITS], wr_pixel[w*PIX_BITS+:PIX_BITS],
                          wr_channel[w*CH_BITS+:CH_BITS]) + AddrBits'(l)] =
                wr_data[(w*WR_LANES+l)*32+:32];
        end
      end
    end
  end
  /* verilator lint_on BLKSEQ */

  // Valid bits: a done count per pixel. Several writers may mark the same pixel in one cycle
  // (column pieces run in lock step): the last port of such a set adds them all. Only marks on
  // held buffers count; a cycle without marks computes nothing.
  logic [WR_PORTS-1:0] wr_mark;  // a done mark on a held buffer
  logic [WR_PORTS*ValidAddrBits-1:0] wr_vaddr;
  logic [WR_PORTS*8-1:0] wr_total;  // done marks on this port's pixel in this cycle
  logic [WR_PORTS-1:0] wr_last;  // no later port marks the same pixel
  logic [WR_PORTS-1:0] wr_completes;  // the pixel becomes valid
  logic [31:0] vp_add[NBUF];
  logic [31:0] done_before, writers;  // of the pixel a port marks

  always_comb begin
    for (int w = 0; w < WR_PORTS; w++)
      wr_mark[w] = wr_done[w] && held(wr_buf[w*BUF_BITS+:BUF_BITS]);
    wr_vaddr = '0;
    wr_total = '0;
    wr_last = '0;
    wr_completes = '0;
    done_before = 32'd0;
    writers = 32'd0;
    for (int b = 0; b < NBUF; b++) vp_add[b] = 32'd0;
    if (wr_mark != '0) begin
      for (int w = 0; w < WR_PORTS; w++)
        wr_vaddr[w*ValidAddrBits+:ValidAddrBits] =
            ValidAddrBits'(field(BUF_PIXEL_BASE, wr_buf[w*BUF_BITS+:BUF_BITS]) +
                           32'(wr_pixel[w*PIX_BITS+:PIX_BITS]));
      for (int w = 0; w < WR_PORTS; w++) begin
        wr_last[w] = wr_mark[w];
        for (int u = 0; u < WR_PORTS; u++) begin
          if (wr_mark[u] && wr_vaddr[u*ValidAddrBits+:ValidAddrBits] ==
                                wr_vaddr[w*ValidAddrBits+:ValidAddrBits]) begin
            wr_total[w*8+:8] = wr_total[w*8+:8] + 8'd1;
            if (u > w) wr_last[w] = 1'b0;
          end
        end
        done_before = 32'(done_count[4*wr_vaddr[w*ValidAddrBits+:ValidAddrBits]+:4]);
        writers = field(BUF_WRITERS, wr_buf[w*BUF_BITS+:BUF_BITS]);
        wr_completes[w] = wr_last[w] && done_before < writers &&
                          done_before + 32'(wr_total[w*8+:8]) >= writers;
      end
      for (int b = 0; b < NBUF; b++) begin
        for (int w = 0; w < WR_PORTS; w++)
          if (wr_completes[w] && 32'(wr_buf[w*BUF_BITS+:BUF_BITS]) == b)
            vp_add[b] = vp_add[b] + 32'd1;
      end
    end
  end

  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      for (int b = 0; b < NBUF; b++) begin
        for (int p = 0; p < VALID_BITS; p++) begin
          if (BUF_HELD[b] && 32'(p) >= BUF_PIXEL_BASE[32*b+:32] &&
              32'(p) < BUF_PIXEL_BASE[32*b+:32] + BUF_PIXELS[32*b+:32])
            done_count[4*p+:4] <= BUF_PRELOADED[b] ? 4'(BUF_WRITERS[32*b+:32]) : 4'd0;
        end
        valid_pixels[b] = BUF_PRELOADED[b] ? BUF_PIXELS[32*b+:32] : 32'd0;
      end
    end else begin
      for (int w = 0; w < WR_PORTS; w++)
        if (wr_last[w])
          done_count[4*wr_vaddr[w*ValidAddrBits+:ValidAddrBits]+:4] <=
              done_count[4*wr_vaddr[w*ValidAddrBits+:ValidAddrBits]+:4] + 4'(wr_total[w*8+:8]);
      for (int b = 0; b < NBUF; b++) valid_pixels[b] = valid_pixels[b] + vp_add[b];
    end
  end
  /* verilator lint_on BLKSEQ */
endmodule
`default_nettype wire
