// The generic Verilator harness of a pimhls design (docs/rtl.md, "Generated design"). Built by
// `pimhls sim` with the verilated sim/pimhls_sim_top.sv (the chip and the off-chip memory model,
// which loads mem/offchip.hex: hence run from the design directory OUT/):
//
//   pimhls_sim sim_config.json INPUT_CODES RESULTS
//
// It holds the chip in reset while it writes the network input codes through the host port
// (act_memory words: buffer base + pixel * channels + channel), releases it, runs until the global
// controller's `done` (or the cycle limit), and writes RESULTS: the measured cycles (the global
// controller's MARK to HALT), the total cycles, the status flags and every buffer's codes in NCHW
// order.
//
// INPUT_CODES: for each network input, a line "buffer ID COUNT" and then COUNT codes (NCHW).
// RESULTS: "finished F", "measured_cycles N", "total_cycles N", "error E", "late L",
// "reload_overrun R", then per buffer "buffer ID COUNT" and its codes.
// Exit status: 0 done, 2 cycle limit reached, 1 bad input.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "Vpimhls_sim_top.h"
#include "verilated.h"

namespace {

struct Buffer {
  int id = 0;
  std::int64_t base = 0;  // first word in act_memory
  int channels = 1, height = 1, width = 1;
  std::int64_t size() const { return std::int64_t{channels} * height * width; }
};

[[noreturn]] void die(const std::string& message) {
  std::cerr << "pimhls_sim: " << message << "\n";
  std::exit(1);
}

class Harness {
 public:
  Harness(const nlohmann::json& config, VerilatedContext* context)
      : top_(std::make_unique<Vpimhls_sim_top>(context, "pimhls_sim_top")) {
    cycle_limit_ = config.at("cycle_limit").get<std::uint64_t>();
    for (const auto& entry : config.at("buffers")) {
      Buffer buffer;
      buffer.id = entry.at("id").get<int>();
      buffer.base = entry.at("base").get<std::int64_t>();
      buffer.channels = entry.at("channels").get<int>();
      buffer.height = entry.at("height").get<int>();
      buffer.width = entry.at("width").get<int>();
      buffers_.push_back(buffer);
    }
  }

  const Buffer& buffer(int id) const {
    for (const Buffer& buffer : buffers_)
      if (buffer.id == id) return buffer;
    die("no buffer " + std::to_string(id) + " in sim_config.json");
  }
  const std::vector<Buffer>& buffers() const { return buffers_; }

  // The controllers start in the first cycle after reset (docs/isa.md: reset is cycle 0), so
  // the inputs are written while the chip is held in reset.
  void hold_reset() {
    top_->rst_n = 0;
    top_->host_wr_en = 0;
    top_->clk = 0;
    top_->eval();
    for (int i = 0; i < 2; ++i) tick();
  }

  // Codes of one network input, NCHW, through the host write port (one code per cycle).
  void write_input(const Buffer& buffer, const std::vector<std::int64_t>& codes) {
    std::size_t i = 0;
    for (int c = 0; c < buffer.channels; ++c)
      for (int p = 0; p < buffer.height * buffer.width; ++p) {
        top_->host_wr_en = 1;
        top_->host_addr = address(buffer, p, c);
        top_->host_wr_data = static_cast<std::uint32_t>(codes[i++]);
        tick();
      }
    top_->host_wr_en = 0;
  }

  // Releases the reset and runs to `done`; false when the cycle limit is reached first.
  bool run() {
    top_->rst_n = 1;
    total_cycles_ = 0;
    while (!top_->done) {
      if (total_cycles_ >= cycle_limit_) return false;
      tick();
    }
    return true;
  }

  std::vector<std::int64_t> read_buffer(const Buffer& buffer) {
    std::vector<std::int64_t> codes;
    codes.reserve(static_cast<std::size_t>(buffer.size()));
    for (int c = 0; c < buffer.channels; ++c)
      for (int p = 0; p < buffer.height * buffer.width; ++p) {
        top_->host_addr = address(buffer, p, c);
        top_->eval();
        codes.push_back(static_cast<std::int32_t>(top_->host_rd_data));
      }
    return codes;
  }

  std::uint64_t measured_cycles() const { return top_->measured_cycles; }
  std::uint64_t total_cycles() const { return total_cycles_; }
  bool error() const { return top_->error; }
  bool late() const { return top_->late; }
  bool reload_overrun() const { return top_->reload_overrun; }
  void finish() { top_->final(); }

 private:
  static std::uint32_t address(const Buffer& buffer, std::int64_t pixel, std::int64_t channel) {
    return static_cast<std::uint32_t>(buffer.base + pixel * buffer.channels + channel);
  }

  void tick() {
    top_->clk = 1;
    top_->eval();
    ++total_cycles_;
    top_->clk = 0;
    top_->eval();
  }

  std::unique_ptr<Vpimhls_sim_top> top_;
  std::vector<Buffer> buffers_;
  std::uint64_t cycle_limit_ = 0;
  std::uint64_t total_cycles_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) die("usage: pimhls_sim sim_config.json INPUT_CODES RESULTS");
  auto context = std::make_unique<VerilatedContext>();
  context->commandArgs(1, argv);
  // Variables without a reset start random (--x-initial unique), from a fixed seed: the same
  // bytes every run.
  context->randReset(2);
  context->randSeed(1);
  nlohmann::json config;
  {
    std::ifstream in(argv[1]);
    if (!in) die(std::string(argv[1]) + ": cannot open");
    config = nlohmann::json::parse(in, nullptr, false);
    if (config.is_discarded()) die(std::string(argv[1]) + ": not valid JSON");
  }
  Harness harness(config, context.get());
  harness.hold_reset();

  std::ifstream inputs(argv[2]);
  if (!inputs) die(std::string(argv[2]) + ": cannot open");
  std::string keyword;
  int id = 0;
  std::int64_t count = 0;
  while (inputs >> keyword >> id >> count) {
    if (keyword != "buffer") die(std::string(argv[2]) + ": expected 'buffer ID COUNT'");
    const Buffer& buffer = harness.buffer(id);
    if (count != buffer.size()) die(std::string(argv[2]) + ": wrong code count for a buffer");
    std::vector<std::int64_t> codes(static_cast<std::size_t>(count));
    for (std::int64_t& code : codes)
      if (!(inputs >> code)) die(std::string(argv[2]) + ": too few codes");
    harness.write_input(buffer, codes);
  }

  const bool finished = harness.run();
  std::ofstream results(argv[3]);
  results << "finished " << (finished ? 1 : 0) << "\n";
  results << "measured_cycles " << harness.measured_cycles() << "\n";
  results << "total_cycles " << harness.total_cycles() << "\n";
  results << "error " << (harness.error() ? 1 : 0) << "\n";
  results << "late " << (harness.late() ? 1 : 0) << "\n";
  results << "reload_overrun " << (harness.reload_overrun() ? 1 : 0) << "\n";
  for (const Buffer& buffer : harness.buffers()) {
    results << "buffer " << buffer.id << " " << buffer.size() << "\n";
    const std::vector<std::int64_t> codes = harness.read_buffer(buffer);
    for (std::size_t i = 0; i < codes.size(); ++i)
      results << codes[i] << (i + 1 == codes.size() || i % 32 == 31 ? "\n" : " ");
  }
  harness.finish();
  if (!results) die(std::string(argv[3]) + ": cannot write");
  return finished ? 0 : 2;
}
