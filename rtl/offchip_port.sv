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
// the queued segments whose header lies in the next n words and writes their rows interleaved:
// round r writes row r of every segment (into all its copies) before row r + 1, so all arrays
// write in parallel (the cost model's reload). Lane l serves segments l, l + L, ...
// Row transfers are metered by BITS_PER_CYCLE (a row costs row_bits whatever its copies; a
// reload starts with one row's credit per lane). Rows are cut from the segment's dense bit
// stream. reload_busy stays high
// until every row has been accepted; the global controller's RELOAD timing is its own formula.
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
  // '0 fills of lane vectors wider than 8k bits are intended (big designs have many lanes)
  /* verilator lint_off WIDTHCONCAT */
  localparam int SlotBits = S > 1 ? $clog2(S) : 1;
  localparam int LaneSegs = (S + L - 1) / L;  // segments a lane serves at most

  // ---- segment queue
  logic [31:0] seg_header[S], seg_rows[S], seg_bits[S];
  logic [CHIP_TILES-1:0] seg_tiles[S];
  logic [7:0] seg_array[S];
  logic [31:0] head, count;  // head: index of the oldest entry (mod S)
  logic [31:0] scan_addr, ptr;
  logic scan_ok;
  logic [63:0] h0, h1;

  always_comb begin
    h0 = mem_data[0+:64];
    h1 = mem_data[64+:64];
    scan_ok = count < S && scan_addr + 1 < IMAGE_WORDS && h0[63:56] == 8'hA5;
  end

  // ---- reload state
  logic busy, issuing;
  logic [31:0] reload_end, segments;
  logic signed [63:0] tokens;
  // lane iterators: round, segment index within the reload (this lane's); the rows of the lane's
  // longest segment. Flat vectors (32 bits per lane), not arrays: delayed writes in the lane
  // loops below.
  logic [L*32-1:0] it_round, it_seg, it_rows;
  logic [L-1:0] it_done;

  // segments of the reload: queued entries whose header is before its end (end_now: the
  // RELOAD's own cycle included, so issuing starts in the next cycle)
  logic [31:0] reload_segments, end_now;
  logic starting;
  always_comb begin
    end_now = reload_start && !busy ? ptr + 32'(reload_words) : reload_end;
    starting = (busy || reload_start) && !issuing &&
               (scan_addr >= end_now || count == S || !scan_ok);
    reload_segments = 32'd0;
    if (starting)  // (the loop runs only then: simulation speed)
      for (int i = 0; i < S; i++)
        if (32'(i) < count && seg_header[SlotBits'((head + 32'(i)) % S)] < end_now &&
            reload_segments == 32'(i))
          reload_segments = reload_segments + 32'd1;
  end

  // The queue entry of the reload's segment seg (< S, as head is): no division per lane.
  function logic [SlotBits-1:0] slot(input logic [31:0] seg);
    logic [31:0] s;
    s = head + seg;
    slot = SlotBits'(s >= S ? s - S : s);
  endfunction

  // the current item of every lane, and whether it may go this cycle (bandwidth)
  logic [L-1:0] item_valid, item_go;
  logic [31:0] row_first_bit[L];
  logic [ROW_WORDS*64-1:0] row_words, row_shifted;  // one lane's, in the loop below
  logic signed [63:0] budget;
  // memory addresses (a block of their own: the data comes back combinationally); a lane that
  // does not go this cycle reads address 0 (and costs the simulation no arithmetic)
  always_comb begin
    mem_addr = '0;
    mem_addr[0+:32] = scan_addr;
    mem_addr[32+:32] = scan_addr + 32'd1;
    for (int l = 0; l < L; l++) begin
      row_first_bit[l] = 32'd0;
      if (item_go[l]) begin
        row_first_bit[l] = it_round[l*32+:32] * seg_bits[slot(it_seg[l*32+:32])];
        for (int w = 0; w < ROW_WORDS; w++)
          mem_addr[(2+l*ROW_WORDS+w)*32+:32] =
              seg_header[slot(it_seg[l*32+:32])] + 32'd2 + (row_first_bit[l] >> 6) + 32'(w);
      end
    end
  end

  // the targets on the bus (a block of its own: the engines' ready depends on the target only);
  // an idle lane carries no tiles (the engines and the simulation skip it)
  always_comb begin
    rl_tiles = '0;
    rl_array = '0;
    rl_row = '0;
    for (int l = 0; l < L; l++)
      if (issuing && !it_done[l]) begin
        rl_tiles[l*CHIP_TILES+:CHIP_TILES] = seg_tiles[slot(it_seg[l*32+:32])];
        rl_array[l*8+:8] = seg_array[slot(it_seg[l*32+:32])];
        rl_row[l*16+:16] = 16'(it_round[l*32+:32]);
      end
  end
  // the rows' data: only on the lanes that go (a few per cycle, as the bandwidth allows; the
  // engines read no other lane's data), the words fetched by those lanes alone
  always_comb begin
    rl_data = '0;
    row_words = '0;
    row_shifted = '0;
    for (int l = 0; l < L; l++)
      if (item_go[l]) begin
        for (int w = 0; w < ROW_WORDS; w++)
          row_words[w*64+:64] = mem_data[(2+l*ROW_WORDS+w)*64+:64];
        row_shifted = row_words >> row_first_bit[l][5:0];
        // the segment's row bits (the rest of the words belongs to the next row)
        rl_data[l*ROW_BITS+:ROW_BITS] = ROW_BITS'(row_shifted) &
            ({ROW_BITS{1'b1}} >> (32'(ROW_BITS) - seg_bits[slot(it_seg[l*32+:32])]));
      end
  end

  // which lanes go: issuing, and the row paid for
  always_comb begin
    budget = tokens;
    for (int l = 0; l < L; l++) begin
      item_valid[l] = issuing && !it_done[l];
      item_go[l] = 1'b0;
      if (item_valid[l]) begin  // (an if: idle lanes cost nothing)
        item_go[l] = budget >= 64'(seg_bits[slot(it_seg[l*32+:32])]);
        if (item_go[l] && rl_ready[l]) budget = budget - 64'(seg_bits[slot(it_seg[l*32+:32])]);
      end
    end
    rl_valid = item_go;
    reload_busy = busy;
  end

  // rows of each lane's longest segment (lane l serves segments l, l + L, ...), at the start
  logic [L*32-1:0] start_rows;
  always_comb begin
    start_rows = '0;
    if (starting)
      for (int l = 0; l < L; l++)
        for (int k = 0; k < LaneSegs; k++)
          if (32'(l + k * L) < reload_segments &&
              seg_rows[SlotBits'((head + 32'(l + k * L)) % S)] > start_rows[l*32+:32])
            start_rows[l*32+:32] = seg_rows[SlotBits'((head + 32'(l + k * L)) % S)];
  end

  // next item of lane l after (round, seg): the lane's next segment with a row in this round,
  // else the first in the next round; done after the rows of its longest segment. At most
  // LaneSegs steps to the end of a round and LaneSegs in the next, which has a row to write.
  function logic [64:0] next_item(input int l, input logic [31:0] round, input logic [31:0] seg,
                                  input logic [31:0] lane_rows);
    logic [31:0] r, sg;
    logic found;
    r = round;
    sg = seg;
    found = 1'b0;
    for (int i = 0; i < 2 * LaneSegs + 1; i++) begin
      if (!found) begin
        sg = sg + L;
        if (sg >= segments) begin
          sg = 32'(l);
          r = r + 32'd1;
        end
        if (r >= lane_rows) found = 1'b1;
        else if (r < seg_rows[slot(sg)]) found = 1'b1;
      end
    end
    next_item = {r >= lane_rows, r, sg};
  endfunction

  logic [64:0] nxt[L];
  always_comb
    for (int l = 0; l < L; l++) begin
      nxt[l] = '0;
      if (issuing && item_go[l])  // (an if, not ?:, so idle lanes cost nothing)
        nxt[l] = next_item(l, it_round[l*32+:32], it_seg[l*32+:32], it_rows[l*32+:32]);
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

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      head <= 32'd0;
      count <= 32'd0;
      scan_addr <= 32'd0;
      ptr <= 32'd0;
      busy <= 1'b0;
      issuing <= 1'b0;
      tokens <= 64'sd0;
      it_done <= '1;
    end else begin
      // scan one header per cycle
      if (scan_ok && !(issuing && &(it_done | (item_go & rl_ready)))) begin
        seg_header[SlotBits'((head + count) % S)] <= scan_addr;
        seg_tiles[SlotBits'((head + count) % S)] <= copy_tiles(h0[55:40], h1[63:48], h1[47:32]);
        seg_array[SlotBits'((head + count) % S)] <= h0[39:32];
        seg_rows[SlotBits'((head + count) % S)] <= 32'(h0[31:16]);
        seg_bits[SlotBits'((head + count) % S)] <= 32'(h0[15:0]);
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
        it_rows <= start_rows;
        for (int l = 0; l < L; l++) begin
          it_round[l*32+:32] <= 32'd0;
          it_seg[l*32+:32] <= 32'(l);
          it_done[l] <= 32'(l) >= reload_segments || start_rows[l*32+:32] == 32'd0;
        end
      end
      if (issuing) begin
        tokens <= (budget + 64'(BITS_PER_CYCLE) > 64'sd1 << 20) ? 64'sd1 << 20 :
            budget + 64'(BITS_PER_CYCLE);
        for (int l = 0; l < L; l++) begin
          if (item_go[l] && rl_ready[l]) begin
            it_round[l*32+:32] <= nxt[l][63:32];
            it_seg[l*32+:32] <= nxt[l][31:0];
            it_done[l] <= nxt[l][64];
          end
        end
        if (&(it_done | (item_go & rl_ready & nxt_done()))) begin
          issuing <= 1'b0;
          busy <= 1'b0;
          head <= (head + segments) % S;
          count <= count - segments;  // the scan pauses in this cycle
          ptr <= reload_end;
        end
      end
    end
  end

  function logic [L-1:0] nxt_done();
    for (int l = 0; l < L; l++) nxt_done[l] = nxt[l][64];
  endfunction

  logic unused_bits;
  always_comb
    unused_bits = ^{reload_words[47:32], h1[31:0], row_shifted[ROW_WORDS*64-1:ROW_BITS]};
  /* verilator lint_on WIDTHCONCAT */
endmodule
`default_nettype wire
