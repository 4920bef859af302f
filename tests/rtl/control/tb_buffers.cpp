// rom.sv ($readmemh, combinational read) and act_buffer.sv (lane writes, valid bits, clear,
// several read ports).
#include <fstream>
#include <random>
#include <vector>

#include "Vact_buffer_tb.h"
#include "Vrom_tb.h"
#include "tb_util.h"

namespace {

void test_rom() {
  const std::vector<std::uint64_t> words = {0x0123456789abcdefull, 0xfedcba9876543210ull, 1, 0,
                                            0x8000000000000000ull};
  {
    std::ofstream file(PIMHLS_CONTROL_WORK_DIR "/rom_tb.hex");
    for (std::uint64_t w : words) {
      char line[32];
      std::snprintf(line, sizeof line, "%016llx\n", static_cast<unsigned long long>(w));
      file << line;
    }
  }
  Vrom_tb rom;
  for (int a = 0; a < 8; ++a) {
    rom.addr = static_cast<std::uint8_t>(a);
    rom.eval();
    const std::uint64_t want = a < static_cast<int>(words.size()) ? words[a] : 0;
    tb::check(rom.data == want, "rom word " + std::to_string(a));
  }
}

// CHANNELS=5, PIXELS=6, READERS=2, LANES=3, WRITE_LANES=2, DATA_BITS=8 (CMakeLists.txt).
void test_act_buffer() {
  constexpr int kChannels = 5, kPixels = 6, kPorts = 6;
  Vact_buffer_tb buf;
  std::mt19937 rng(7);
  std::vector<int> ref(kChannels * kPixels, -1);
  buf.rst_n = 0;
  tb::tick(buf);
  buf.rst_n = 1;
  buf.clear = 0;
  auto read = [&](int port, int pixel, int channel, int& data, bool& valid) {
    buf.rd_pixel =
        (buf.rd_pixel & ~(7u << (3 * port))) | (static_cast<unsigned>(pixel) << (3 * port));
    buf.rd_channel =
        (buf.rd_channel & ~(7u << (3 * port))) | (static_cast<unsigned>(channel) << (3 * port));
    buf.eval();
    data = static_cast<int>((buf.rd_data >> (8 * port)) & 0xff);
    valid = (buf.rd_valid >> port) & 1;
  };
  // Write pixels in a random order, two channels per cycle (the last cycle one lane masked).
  std::vector<int> order = {3, 0, 5, 1, 4, 2};
  for (int pixel : order) {
    for (int c = 0; c < kChannels; c += 2) {
      const int a = static_cast<int>(rng() & 0xff), b = static_cast<int>(rng() & 0xff);
      buf.wr_en = 1;
      buf.wr_pixel = static_cast<std::uint8_t>(pixel);
      buf.wr_channel = static_cast<std::uint8_t>(c);
      buf.wr_mask = c + 1 < kChannels ? 3 : 1;
      buf.wr_data = static_cast<std::uint16_t>(a | (b << 8));
      buf.wr_pixel_done = c + 2 >= kChannels;
      ref[pixel * kChannels + c] = a;
      if (c + 1 < kChannels) ref[pixel * kChannels + c + 1] = b;
      tb::tick(buf);
      // Every port and lane sees the same memory; unwritten pixels are not valid.
      for (int p = 0; p < kPixels; ++p)
        for (int ch = 0; ch < kChannels; ++ch) {
          int data = 0;
          bool valid = false;
          const int port = (p + ch) % kPorts;
          read(port, p, ch, data, valid);
          const bool want_valid = std::find(order.begin(), order.end(), p) <=
                                      std::find(order.begin(), order.end(), pixel) &&
                                  !(p == pixel && c + 2 < kChannels);
          tb::check(valid == want_valid, "valid bit of pixel " + std::to_string(p));
          if (valid) tb::check_eq(data, ref[p * kChannels + ch], "data");
        }
    }
  }
  buf.wr_en = 0;
  buf.wr_pixel_done = 0;
  buf.clear = 1;
  tb::tick(buf);
  buf.clear = 0;
  int data = 0;
  bool valid = true;
  for (int p = 0; p < kPixels; ++p) {
    read(p % kPorts, p, 0, data, valid);
    tb::check(!valid, "cleared");
    tb::check_eq(data, ref[p * kChannels], "data kept after clear");
  }
}

}  // namespace

int main() {
  tb::random_initial_state();
  test_rom();
  test_act_buffer();
  return tb::finish("rtl.control.buffers");
}
