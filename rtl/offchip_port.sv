`default_nettype none
// The off-chip weight port (docs/isa.md "Off-chip weight image", docs/rtl.md "Control").
// Memory side: MEM_LANES combinational read lanes into the image (offchip_memory in
// simulation). Array side: RELOAD_LANES row-write lanes to the weight engines, each with its own
// ready (the engines' AND). A lane writes one row (rl_row, ROW_BITS bits: column col's cell level
// at bits [col * bits_per_cell +: bits_per_cell], zero past the segment's row_bits) into array
// rl_array of every tile t with bit t of its tile mask rl_tiles set: a segment and all its
// copies at once (the mask is formed once per segment, when its header is scanned).
//
// The port scans segment headers ahead of time, one segment per cycle from reset on, into a
// queue of MAX_SEGMENTS entries (image order). RELOAD n (reload_start, reload_words = n) takes
// the queued segments whose header lies in the next n words. Every segment writes its rows in
// order, one row per row_write cycles at most (its header's field: the arrays' write time, as
// pim_array's wr_ready). Each cycle the lanes carry the ready segments with the most write time
// left (rows left * row_write; ties: image order), the most urgent first, as far as the
// bandwidth pays (BITS_PER_CYCLE per cycle, a row costs its row_bits whatever its copies; the
// first segment the budget cannot pay stops the lanes, so that its tokens are not spent by
// less urgent rows; a reload starts with one row's credit per lane). This keeps the arrays'
// rows progressing together (the cost model's reload: max(XFER, WRITE) + ROW_WRITE; a fixed
// priority of segments would leave the last segments' rows for the end). A reload cycle costs
// one pass over the reload's segments plus the lanes. reload_busy stays high until every row
// has been accepted; the global controller's RELOAD timing is its own formula.
module offchip_port #(
    parameter int BITS_PER_CYCLE = 64,
    parameter int IMAGE_WORDS = 1,
    parameter int MAX_SEGMENTS = 4,
    parameter int RELOAD_LANES = 1,
    parameter int ROW_BITS = 64,  // >= the largest row_bits (array columns * bits per cell)
    parameter int CHIP_TILES = 1,  // tiles of the chip (the width of a lane's tile mask)
    localparam int ROW_WORDS = (ROW_BITS + 63) / 64 + 1,  // words a row can straddle
    localparam int MEM_LANES = 2 + RELOAD_LANES * ROW_WORDS,
    localparam int L = RELOAD_LANES,
    localparam int S = MAX_SEGMENTS
) (
    input wire logic clk,
    input wire logic rst_n,
    // global controller
    input wire logic reload_start,
    input wire logic [47:0] reload_words,
    output logic reload_busy,
    // memory
    output logic [MEM_LANES*32-1:0] mem_addr,
    input wire logic [MEM_LANES*64-1:0] mem_data,
    // weight engines
    output logic [L-1:0] rl_valid,
    output logic [L*CHIP_TILES-1:0] rl_tiles,
    output logic [L*8-1:0] rl_array,
    output logic [L*16-1:0] rl_row,
    output logic [L*ROW_BITS-1:0] rl_data,
    input wire logic [L-1:0] rl_ready
);
  // '0 fills of lane vectors wider than 8k bits are intended (many lanes of wide rows)
  /* verilator lint_off WIDTHCONCAT */
  localparam int SlotBits = S > 1 ? $clog2(S) : 1;

  // ---- segment queue: the header fields and each segment's progress
  logic [31:0] seg_header[S], seg_bits[S];
  logic [15:0] seg_rows[S], seg_row[S];  // rows, the next row to write
  logic [15:0] seg_write[S];  // cycles a row write keeps the arrays busy (>= 1)
  // write time left, (rows - row) * write: kept, not multiplied for every segment in every pick
  logic [31:0] seg_work[S];
  logic [63:0] seg_ready_at[S];  // the cycle from which the arrays take the next row
  logic [CHIP_TILES-1:0] seg_tiles[S];
  logic [7:0] seg_array[S];
  logic [31:0] head, count;  // head: index of the oldest entry (mod S)
  logic [31:0] scan_addr, ptr;
  logic scan_ok;
  logic [63:0] h0, h1, now;

  always_comb begin
    h0 = mem_data[0+:64];
    h1 = mem_data[64+:64];
    scan_ok = count < S && scan_addr + 1 < IMAGE_WORDS && h0[63:56] == 8'hA5;
  end

  // ---- reload state
  logic busy, issuing;
  logic [31:0] reload_end, segments, rows_left;
  logic signed [63:0] tokens;

  // The queue entry of the reload's segment i (< S, as head is): no division per segment.
  function logic [SlotBits-1:0] slot(input logic [31:0] i);
    logic [31:0] s;
    s = head + i;
    slot = SlotBits'(s >= S ? s - S : s);
  endfunction

  // segments and rows of the reload: queued entries whose header is before its end (end_now:
  // the RELOAD's own cycle included, so issuing starts in the next cycle)
  logic [31:0] reload_segments, reload_rows, end_now;
  logic starting;
  always_comb begin
    end_now = reload_start && !busy ? ptr + 32'(reload_words) : reload_end;
    starting = (busy || reload_start) && !issuing &&
               (scan_addr >= end_now || count == S || !scan_ok);
    reload_segments = 32'd0;
    reload_rows = 32'd0;
    if (starting)  // (the loop runs only then: simulation speed)
      for (int i = 0; i < S; i++)
        if (32'(i) < count && seg_header[slot(32'(i))] < end_now &&
            reload_segments == 32'(i)) begin
          reload_segments = reload_segments + 32'd1;
          reload_rows = reload_rows + 32'(seg_rows[slot(32'(i))]);
        end
  end

  // The lanes' segments: the ready ones with the most write time left, most urgent first
  // (insertion into the lanes' sorted list; equal work keeps image order).
  logic [SlotBits-1:0] pick[L];
  logic [L-1:0] picked;
  logic [31:0] pick_work[L];
  logic [SlotBits-1:0] cand, cand_swap;
  logic [31:0] cand_work, cand_work_swap;
  logic cand_on, cand_on_swap;
  always_comb begin
    picked = '0;
    for (int k = 0; k < L; k++) begin
      pick[k] = '0;
      pick_work[k] = '0;
    end
    {cand_on, cand, cand_work} = '0;
    {cand_on_swap, cand_swap, cand_work_swap} = '0;
    if (issuing)  // (the loop runs only then: simulation speed)
      for (int i = 0; i < S; i++) begin
        cand = slot(32'(i));
        if (32'(i) < segments && seg_row[cand] < seg_rows[cand] &&
            now >= seg_ready_at[cand]) begin
          cand_work = seg_work[cand];
          cand_on = 1'b1;
          for (int k = 0; k < L; k++)
            if (cand_on && (!picked[k] || cand_work > pick_work[k])) begin
              {cand_on_swap, cand_swap, cand_work_swap} = {picked[k], pick[k], pick_work[k]};
              {picked[k], pick[k], pick_work[k]} = {1'b1, cand, cand_work};
              {cand_on, cand, cand_work} = {cand_on_swap, cand_swap, cand_work_swap};
            end
        end
      end
  end

  // the targets on the bus (a block of its own: the engines' ready depends on the targets only);
  // an idle lane carries no tiles (the engines skip it)
  always_comb begin
    rl_tiles = '0;
    rl_array = '0;
    rl_row = '0;
    for (int k = 0; k < L; k++)
      if (picked[k]) begin
        rl_tiles[k*CHIP_TILES+:CHIP_TILES] = seg_tiles[pick[k]];
        rl_array[k*8+:8] = seg_array[pick[k]];
        rl_row[k*16+:16] = seg_row[pick[k]];
      end
  end

  // which lanes go: in urgency order while the budget pays their rows (a row the budget cannot
  // pay stops the lanes after it); a lane whose arrays refuse the row keeps its tokens
  logic [L-1:0] go;
  logic signed [63:0] budget;
  logic paying;
  always_comb begin
    budget = tokens;
    paying = 1'b1;
    go = '0;
    for (int k = 0; k < L; k++)
      if (picked[k] && paying) begin
        if (budget >= 64'(seg_bits[pick[k]])) begin
          go[k] = 1'b1;
          if (rl_ready[k]) budget = budget - 64'(seg_bits[pick[k]]);
        end else paying = 1'b0;
      end
    rl_valid = go;
    reload_busy = busy;
  end

  // memory addresses (a block of their own: the data comes back combinationally); a lane that
  // does not go reads address 0
  logic [31:0] row_first_bit[L];
  always_comb begin
    mem_addr = '0;
    mem_addr[0+:32] = scan_addr;
    mem_addr[32+:32] = scan_addr + 32'd1;
    for (int k = 0; k < L; k++) begin
      row_first_bit[k] = 32'd0;
      if (go[k]) begin
        row_first_bit[k] = 32'(seg_row[pick[k]]) * seg_bits[pick[k]];
        for (int w = 0; w < ROW_WORDS; w++)
          mem_addr[(2+k*ROW_WORDS+w)*32+:32] =
              seg_header[pick[k]] + 32'd2 + (row_first_bit[k] >> 6) + 32'(w);
      end
    end
  end

  // the rows' data: cut from the segment's dense bit stream, on the lanes that go
  logic [ROW_WORDS*64-1:0] row_words, row_shifted;  // one lane's, in the loop below
  always_comb begin
    rl_data = '0;
    row_words = '0;
    row_shifted = '0;
    for (int k = 0; k < L; k++)
      if (go[k]) begin
        for (int w = 0; w < ROW_WORDS; w++)
          row_words[w*64+:64] = mem_data[(2+k*ROW_WORDS+w)*64+:64];
        row_shifted = row_words >> row_first_bit[k][5:0];
        // the segment's row bits (the rest of the words belongs to the next row)
        rl_data[k*ROW_BITS+:ROW_BITS] = ROW_BITS'(row_shifted) &
            ({ROW_BITS{1'b1}} >> (32'(ROW_BITS) - seg_bits[pick[k]]));
      end
  end

  // rows accepted this cycle; the reload's last row ends it
  logic [31:0] accepted;
  logic finishing;
  always_comb begin
    accepted = 32'd0;
    for (int k = 0; k < L; k++) if (go[k] && rl_ready[k]) accepted = accepted + 32'd1;
    finishing = issuing && accepted == rows_left;
  end

  // The tiles of a segment's copies: tile, tile + stride, ... (copies of them).
  function logic [CHIP_TILES-1:0] copy_tiles(input logic [15:0] tile, input logic [15:0] copies,
                                             input logic [15:0] stride);
    logic [31:0] next_tile, left;
    copy_tiles = '0;
    next_tile = 32'(tile);
    left = 32'(copies);
    for (int t = 0; t < CHIP_TILES; t++) begin
      if (left != 32'd0 && 32'(t) == next_tile) begin
        copy_tiles[t] = 1'b1;
        next_tile = next_tile + 32'(stride);
        left = left - 32'd1;
      end
    end
  endfunction

  logic [15:0] scan_write;  // the header's row write cycles, at least 1
  logic [SlotBits-1:0] tail;  // the queue entry a scanned header goes to
  always_comb begin
    scan_write = h1[15:0] == 16'd0 ? 16'd1 : h1[15:0];
    tail = SlotBits'((head + count) % S);
  end

  // The queue's entries are written with blocking assignments (Verilator delays no array
  // writes in loops; the lanes write distinct entries, the scan a free one): this block is the
  // only one that writes or reads them at the clock edge, the rest reads them combinationally.
  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      head <= 32'd0;
      count <= 32'd0;
      scan_addr <= 32'd0;
      ptr <= 32'd0;
      busy <= 1'b0;
      issuing <= 1'b0;
      tokens <= 64'sd0;
      now <= 64'd0;
    end else begin
      now <= now + 64'd1;
      // scan one header per cycle (not while the queue's head moves)
      if (scan_ok && !finishing) begin
        seg_header[tail] = scan_addr;
        seg_tiles[tail] = copy_tiles(h0[55:40], h1[63:48], h1[47:32]);
        seg_array[tail] = h0[39:32];
        seg_rows[tail] = h0[31:16];
        seg_bits[tail] = 32'(h0[15:0]);
        seg_write[tail] = scan_write;
        seg_row[tail] = 16'd0;
        seg_work[tail] = 32'(h0[31:16]) * 32'(scan_write);
        seg_ready_at[tail] = now;
        count <= count + 32'd1;
        scan_addr <= scan_addr + 32'd2 + ((32'(h0[31:16]) * 32'(h0[15:0]) + 32'd63) >> 6);
      end
      if (reload_start && !busy) begin
        busy <= 1'b1;
        reload_end <= ptr + 32'(reload_words);
        tokens <= 64'(L * ROW_BITS);  // a first row on every lane at once
      end
      // wait until the scan has passed the reload's words (or the queue is full), then issue
      if (starting) begin
        issuing <= 1'b1;
        segments <= reload_segments;
        rows_left <= reload_rows;
      end
      if (issuing) begin
        tokens <= (budget + 64'(BITS_PER_CYCLE) > 64'sd1 << 20) ? 64'sd1 << 20 :
            budget + 64'(BITS_PER_CYCLE);
        rows_left <= rows_left - accepted;
        for (int k = 0; k < L; k++)
          if (go[k] && rl_ready[k]) begin
            seg_row[pick[k]] = seg_row[pick[k]] + 16'd1;
            seg_work[pick[k]] = seg_work[pick[k]] - 32'(seg_write[pick[k]]);
            seg_ready_at[pick[k]] = now + 64'(seg_write[pick[k]]);
          end
        if (finishing) begin
          issuing <= 1'b0;
          busy <= 1'b0;
          head <= (head + segments) % S;
          count <= count - segments;  // the scan pauses in this cycle
          ptr <= reload_end;
        end
      end
    end
  end
  /* verilator lint_on BLKSEQ */

  logic unused_bits;
  always_comb
    unused_bits = ^{reload_words[47:32], h1[31:16], row_shifted[ROW_WORDS*64-1:ROW_BITS]};
  /* verilator lint_on WIDTHCONCAT */
endmodule
`default_nettype wire
