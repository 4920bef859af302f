`default_nettype none
// Activation buffer of one on-chip tensor (docs/rtl.md, "Control"): PIXELS pixels of CHANNELS
// codes (DATA_BITS each: activation codes, or 32-bit partial sums), one valid bit per pixel.
// One writer writes up to WRITE_LANES consecutive channels of one pixel per cycle and sets the
// pixel's valid bit with wr_pixel_done (in the same cycle as its last write, or later). READERS
// read ports of LANES lanes each read (pixel, channel) combinationally and see the pixel's valid
// bit: a reader uses a code only when its valid bit is set (it stalls otherwise). `clear` drops
// every valid bit (a new inference); PRELOADED = 1 sets them all at reset instead (the network
// input, written by the testbench through the writer port before the start).
// Storage is pixel-major (pixel * CHANNELS + channel); tensor layouts stay NCHW for the readers,
// which address (channel, pixel).
module act_buffer #(
    parameter int DATA_BITS = 8,
    parameter int CHANNELS = 1,
    parameter int PIXELS = 1,
    parameter int READERS = 1,
    parameter int LANES = 1,
    parameter int WRITE_LANES = 1,
    parameter int PRELOADED = 0,
    localparam int PixelBits = PIXELS > 1 ? $clog2(PIXELS) : 1,
    localparam int ChannelBits = CHANNELS > 1 ? $clog2(CHANNELS) : 1,
    localparam int Ports = READERS * LANES
) (
    input wire logic clk,
    input wire logic rst_n,
    input wire logic clear,
    // writer
    input wire logic wr_en,
    input wire logic [PixelBits-1:0] wr_pixel,
    input wire logic [ChannelBits-1:0] wr_channel,
    input wire logic [WRITE_LANES-1:0] wr_mask,
    input wire logic [WRITE_LANES*DATA_BITS-1:0] wr_data,
    input wire logic wr_pixel_done,
    // readers: port r, lane l is index r * LANES + l
    input wire logic [Ports*PixelBits-1:0] rd_pixel,
    input wire logic [Ports*ChannelBits-1:0] rd_channel,
    output logic [Ports*DATA_BITS-1:0] rd_data,
    output logic [Ports-1:0] rd_valid
);
  localparam int Depth = PIXELS * CHANNELS;
  localparam int AddrBits = Depth > 1 ? $clog2(Depth) : 1;

  logic [DATA_BITS-1:0] mem[Depth];
  logic [PIXELS-1:0] valid;

  always_ff @(posedge clk) begin
    if (wr_en) begin
      for (int l = 0; l < WRITE_LANES; l++) begin
        if (wr_mask[l] && 32'(wr_channel) + l < CHANNELS)
          mem[AddrBits'(32'(wr_pixel) * CHANNELS + 32'(wr_channel) + l)] <=
              wr_data[l*DATA_BITS+:DATA_BITS];
      end
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) valid <= PRELOADED != 0 ? '1 : '0;
    else if (clear) valid <= '0;
    else if (wr_pixel_done) valid[wr_pixel] <= 1'b1;
  end

  always_comb begin
    for (int p = 0; p < Ports; p++) begin
      rd_data[p*DATA_BITS+:DATA_BITS] =
          mem[AddrBits'(32'(rd_pixel[p*PixelBits+:PixelBits]) * CHANNELS +
                        32'(rd_channel[p*ChannelBits+:ChannelBits]))];
      rd_valid[p] = valid[rd_pixel[p*PixelBits+:PixelBits]];
    end
  end
endmodule
`default_nettype wire
