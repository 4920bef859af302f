#include "compile/data_labels.h"

#include <fmt/format.h>

#include <array>

namespace pimhls::compile {
namespace {

std::string requantizer(std::uint64_t word) {
  std::int64_t multiplier = 0;
  int shift = 0;
  unpack_requant_word(word, multiplier, shift);
  return fmt::format("M={} shift={}", multiplier, shift);
}

// The labels of one RUN (registers `r`) for the words of its tables.
struct RunTables {
  const std::array<std::int64_t, 256>& r;
  const std::vector<std::uint64_t>& data;
  std::vector<std::string>& labels;
  std::string prefix;
  std::int64_t table = 0;  // the table being labelled: word i is data[table + i]

  bool inside(std::int64_t i) const {
    return table + i >= 0 && table + i < static_cast<std::int64_t>(data.size());
  }
  std::uint64_t raw(std::int64_t i) const {
    return inside(i) ? data[static_cast<std::size_t>(table + i)] : 0;
  }
  std::int64_t value(std::int64_t i) const { return static_cast<std::int64_t>(raw(i)); }
  // The first RUN that reads a word names it.
  void at(std::int64_t i, const std::string& text) const {
    if (!inside(i)) return;
    std::string& label = labels[static_cast<std::size_t>(table + i)];
    if (label.empty()) label = prefix + ": " + text;
  }

  void weight() {
    table = r[ereg::kCopyTable];
    for (std::int64_t c = 0; c < r[ereg::kCopies]; ++c)
      at(c, fmt::format("copy {}: first tile {}", c, value(c)));
    if (r[ereg::kPsumOut] != 0) return;  // partial sums: no channel table
    table = r[ereg::kTable];
    for (std::int64_t n = 0; n < r[ereg::kOutCCnt]; ++n) {
      at(2 * n, fmt::format("channel {} bias {}", r[ereg::kOutCOff] + n, value(2 * n)));
      at(2 * n + 1, fmt::format("channel {} requantizer {}", r[ereg::kOutCOff] + n,
                                requantizer(raw(2 * n + 1))));
    }
  }

  // LUT words are labelled last: the words around TABLE (its input code 0) no other RUN reads.
  void vector(bool lut_pass) {
    table = r[ereg::kTable];
    const std::int64_t op = r[ereg::kOp], count = r[ereg::kOutCCnt];
    const std::int64_t flags = r[ereg::kFlags];
    const bool gather = (flags & 16) != 0;
    if (op < 0 || op > 255 || lut_pass != (op == static_cast<std::int64_t>(VectorOp::Lut))) return;
    switch (static_cast<VectorOp>(op)) {
      case VectorOp::MaxPool:
      case VectorOp::Copy: {
        if (!gather) break;
        const std::int64_t phases =
            gather_phases(static_cast<VectorOp>(op), r[ereg::kUpH], r[ereg::kUpW]);
        for (std::int64_t ph = 0; ph < phases; ++ph)
          for (std::int64_t c = 0; c < count; ++c)
            at(ph * count + c, phases > 1 ? fmt::format("phase {} lane {} reads channel {}", ph, c,
                                                        value(ph * count + c))
                                          : fmt::format("lane {} reads channel {}", c, value(c)));
        break;
      }
      case VectorOp::AvgPool:
        for (std::int64_t n = 0; n <= r[ereg::kKh] * r[ereg::kKw]; ++n)
          at(n, fmt::format("divide by {} taps: {}", n, requantizer(raw(n))));
        break;
      case VectorOp::Gap: at(0, fmt::format("divide: {}", requantizer(raw(0)))); break;
      case VectorOp::Mul: at(0, fmt::format("product requantizer {}", requantizer(raw(0)))); break;
      case VectorOp::Add:
        if ((flags & 2) == 0) break;
        for (std::int64_t p = 0; p < r[ereg::kVectors]; ++p)
          for (std::int64_t c = 0; c < count; ++c)
            at(p * count + c,
               fmt::format("constant pixel {} channel {}: {}", p, c, value(p * count + c)));
        break;
      case VectorOp::Affine:
        for (std::int64_t c = 0; c < count; ++c) {
          at(2 * c, fmt::format("channel {} requantizer {}", c, requantizer(raw(2 * c))));
          at(2 * c + 1, fmt::format("channel {} offset {}", c, value(2 * c + 1)));
        }
        break;
      case VectorOp::Concat:
        for (std::int64_t i = 0; i < r[ereg::kInCount]; ++i) {
          const ConcatWord input = unpack_concat_word(raw(2 * i));
          at(2 * i,
             fmt::format("input {}: buffer {}, {} channels", i, input.buffer, input.channels));
          at(2 * i + 1, fmt::format("input {} requantizer {}", i, requantizer(raw(2 * i + 1))));
        }
        break;
      case VectorOp::Lut:
        for (std::int64_t code = -(std::int64_t{1} << 15); code < (std::int64_t{1} << 15); ++code)
          if (inside(code)) at(code, fmt::format("input code {}: output {}", code, value(code)));
        break;
      case VectorOp::Resample: {
        const std::int64_t one = r[ereg::kMulA], rows = r[ereg::kOutH];
        for (std::int64_t o = 0; o < rows + r[ereg::kOutW]; ++o) {
          const auto [first, weight] = unpack_resample_word(raw(o));
          const char* axis = o < rows ? "row" : "column";
          const std::int64_t index = o < rows ? o : o - rows;
          if (r[o < rows ? ereg::kKh : ereg::kKw] == 1)  // nearest along this axis
            at(o, fmt::format("{} {}: input {} {}", axis, index, axis, first));
          else
            at(o, fmt::format("{} {}: input {}s {}, {} weighted {}/{}, {}/{}", axis, index, axis,
                              first, first + 1, one - weight, one, weight, one));
        }
        break;
      }
      default: break;
    }
  }
};

}  // namespace

std::vector<std::string> data_labels(const std::vector<std::uint64_t>& program,
                                     Controller controller,
                                     const std::vector<std::uint64_t>& data) {
  std::vector<std::string> labels(data.size());
  for (const bool lut_pass : {false, true}) {
    std::array<std::int64_t, 256> regs{};
    int run = 0;
    for (const std::uint64_t word : program) {
      const Instruction i = decode(word, controller);
      if (i.op == Opcode::Set) regs[i.reg] = i.imm;
      if (i.op != Opcode::Run) continue;
      const char* name = vector_op_name(regs[ereg::kOp]);
      const std::string prefix = controller == Controller::Vector
                                     ? fmt::format("RUN {} {}", run++, name ? name : "OP ?")
                                     : fmt::format("RUN {}", run++);
      RunTables tables{regs, data, labels, prefix};
      if (controller == Controller::Vector)
        tables.vector(lut_pass);
      else if (controller == Controller::Weight && !lut_pass)
        tables.weight();
    }
  }
  return labels;
}

}  // namespace pimhls::compile
