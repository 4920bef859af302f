#include "compile/isa.h"

#include <fmt/format.h>

#include <array>

#include "util/error.h"

namespace pimhls::compile {
namespace {

constexpr std::uint64_t kImmMask = (std::uint64_t{1} << 48) - 1;

std::int64_t sign_extend48(std::uint64_t bits) {
  bits &= kImmMask;
  return (bits & (std::uint64_t{1} << 47)) ? static_cast<std::int64_t>(bits | ~kImmMask)
                                           : static_cast<std::int64_t>(bits);
}

struct RegName {
  std::uint8_t id;
  const char* name;
};

constexpr std::array kGlobalRegs{RegName{greg::kXferCycles, "XFER_CYCLES"},
                                 RegName{greg::kWriteCycles, "WRITE_CYCLES"},
                                 RegName{greg::kRowWrite, "ROW_WRITE"}};

// Registers common to both engine kinds.
constexpr std::array kCommonRegs{RegName{ereg::kInBuf, "IN_BUF"},
                                 RegName{ereg::kInC, "IN_C"},
                                 RegName{ereg::kInH, "IN_H"},
                                 RegName{ereg::kInW, "IN_W"},
                                 RegName{ereg::kKh, "KH"},
                                 RegName{ereg::kKw, "KW"},
                                 RegName{ereg::kStrideH, "STRIDE_H"},
                                 RegName{ereg::kStrideW, "STRIDE_W"},
                                 RegName{ereg::kPadT, "PAD_T"},
                                 RegName{ereg::kPadL, "PAD_L"},
                                 RegName{ereg::kDilH, "DIL_H"},
                                 RegName{ereg::kDilW, "DIL_W"},
                                 RegName{ereg::kOutBuf, "OUT_BUF"},
                                 RegName{ereg::kOutC, "OUT_C"},
                                 RegName{ereg::kOutCOff, "OUT_C_OFF"},
                                 RegName{ereg::kOutCCnt, "OUT_C_CNT"},
                                 RegName{ereg::kOutH, "OUT_H"},
                                 RegName{ereg::kOutW, "OUT_W"},
                                 RegName{ereg::kTable, "TABLE"},
                                 RegName{ereg::kClampMin, "CLAMP_MIN"},
                                 RegName{ereg::kClampMax, "CLAMP_MAX"},
                                 RegName{ereg::kVectors, "VECTORS"}};

constexpr std::array kWeightRegs{RegName{ereg::kInCOff, "IN_C_OFF"},
                                 RegName{ereg::kInCCnt, "IN_C_CNT"},
                                 RegName{ereg::kInCStep, "IN_C_STEP"},
                                 RegName{ereg::kGroups, "GROUPS"},
                                 RegName{ereg::kOutCPerGroup, "OUT_C_PER_GROUP"},
                                 RegName{ereg::kPsumInBuf, "PSUM_IN_BUF"},
                                 RegName{ereg::kPsumOut, "PSUM_OUT"},
                                 RegName{ereg::kTile, "TILE"},
                                 RegName{ereg::kArraysPerTile, "ARRAYS_PER_TILE"},
                                 RegName{ereg::kCopies, "COPIES"},
                                 RegName{ereg::kCopyTable, "COPY_TABLE"},
                                 RegName{ereg::kRowBlocks, "ROW_BLOCKS"},
                                 RegName{ereg::kColBlocks, "COL_BLOCKS"},
                                 RegName{ereg::kRowsPerArray, "ROWS_PER_ARRAY"},
                                 RegName{ereg::kWeightsPerArray, "WEIGHTS_PER_ARRAY"},
                                 RegName{ereg::kSlices, "SLICES"},
                                 RegName{ereg::kArith, "ARITH"},
                                 RegName{ereg::kParallelRows, "PARALLEL_ROWS"},
                                 RegName{ereg::kAdcShift, "ADC_SHIFT"},
                                 RegName{ereg::kArrayRows, "ARRAY_ROWS"},
                                 RegName{ereg::kArrayCols, "ARRAY_COLS"},
                                 RegName{ereg::kIi, "II"},
                                 RegName{ereg::kDepth, "DEPTH"},
                                 RegName{ereg::kVecPeriod, "VEC_PERIOD"},
                                 RegName{ereg::kVecSlotLo, "VEC_SLOT_LO"},
                                 RegName{ereg::kVecSlotHi, "VEC_SLOT_HI"}};

constexpr std::array kVectorRegs{RegName{ereg::kIn2Buf, "IN2_BUF"},
                                 RegName{ereg::kOp, "OP"},
                                 RegName{ereg::kMulA, "MUL_A"},
                                 RegName{ereg::kMulB, "MUL_B"},
                                 RegName{ereg::kShift, "SHIFT"},
                                 RegName{ereg::kFlags, "FLAGS"},
                                 RegName{ereg::kPadB, "PAD_B"},
                                 RegName{ereg::kPadR, "PAD_R"},
                                 RegName{ereg::kPixelCycles, "PIXEL_CYCLES"},
                                 RegName{ereg::kInCount, "IN_COUNT"},
                                 RegName{ereg::kUpH, "UP_H"},
                                 RegName{ereg::kUpW, "UP_W"},
                                 RegName{ereg::kInCFirst, "IN_C_FIRST"}};

template <std::size_t N>
const char* find_name(const std::array<RegName, N>& table, std::uint8_t reg) {
  for (const RegName& entry : table)
    if (entry.id == reg) return entry.name;
  return nullptr;
}

bool allowed(Opcode opcode, Controller controller) {
  switch (opcode) {
    case Opcode::Nop:
    case Opcode::Set:
    case Opcode::Halt: return true;
    case Opcode::Sync:
    case Opcode::Run:
    case Opcode::Done: return controller != Controller::Global;
    case Opcode::Reload:
    case Opcode::Start:
    case Opcode::Wait:
    case Opcode::Mark: return controller == Controller::Global;
  }
  return false;
}

}  // namespace

const char* vector_op_name(std::int64_t value) {
  switch (value) {
    case 1: return "MAXPOOL";
    case 2: return "AVGPOOL";
    case 3: return "GAP";
    case 4: return "ADD";
    case 5: return "COPY";
    case 6: return "AFFINE";
    case 7: return "CONCAT";
    case 8: return "LUT";
    case 9: return "MUL";
    case 10: return "CMAX";
    case 11: return "RESAMPLE";
    default: return nullptr;
  }
}

std::int64_t Arith::pack() const {
  return static_cast<std::int64_t>(weight_bits & 0xFF) |
         static_cast<std::int64_t>(input_bits & 0xFF) << 8 |
         static_cast<std::int64_t>(signed_input ? 1 : 0) << 16 |
         static_cast<std::int64_t>(input_encoding & 1) << 17 |
         static_cast<std::int64_t>(weight_encoding & 3) << 18 |
         static_cast<std::int64_t>(adc & 3) << 20 |
         static_cast<std::int64_t>(bits_per_cell & 0xFF) << 24 |
         static_cast<std::int64_t>(dac_bits & 0xFF) << 32 |
         static_cast<std::int64_t>(adc_bits & 0xFF) << 40;
}

Arith Arith::unpack(std::int64_t value) {
  Arith a;
  a.weight_bits = static_cast<int>(value & 0xFF);
  a.input_bits = static_cast<int>((value >> 8) & 0xFF);
  a.signed_input = ((value >> 16) & 1) != 0;
  a.input_encoding = static_cast<int>((value >> 17) & 1);
  a.weight_encoding = static_cast<int>((value >> 18) & 3);
  a.adc = static_cast<int>((value >> 20) & 3);
  a.bits_per_cell = static_cast<int>((value >> 24) & 0xFF);
  a.dac_bits = static_cast<int>((value >> 32) & 0xFF);
  a.adc_bits = static_cast<int>((value >> 40) & 0xFF);
  return a;
}

Instruction set(std::uint8_t reg, std::int64_t value) { return {Opcode::Set, reg, value}; }
Instruction op(Opcode opcode, std::int64_t imm) { return {opcode, 0, imm}; }

std::uint64_t encode(const Instruction& instruction) {
  if (instruction.imm < kImmMin || instruction.imm > kImmMax)
    fail("instruction {}: immediate {} does not fit 48 bits", opcode_name(instruction.op),
         instruction.imm);
  return static_cast<std::uint64_t>(instruction.op) << 56 |
         static_cast<std::uint64_t>(instruction.reg) << 48 |
         (static_cast<std::uint64_t>(instruction.imm) & kImmMask);
}

std::optional<Opcode> opcode_of(std::uint8_t value) {
  switch (value) {
    case 0x00:
    case 0x01:
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x05:
    case 0x10:
    case 0x11:
    case 0x12:
    case 0x13: return static_cast<Opcode>(value);
    default: return std::nullopt;
  }
}

Instruction decode(std::uint64_t word, Controller controller) {
  const auto opcode = opcode_of(static_cast<std::uint8_t>(word >> 56));
  if (!opcode) fail("word {:016x}: unknown opcode 0x{:02x}", word, word >> 56);
  if (!allowed(*opcode, controller))
    fail("word {:016x}: {} is not an instruction of this controller", word, opcode_name(*opcode));
  Instruction instruction{*opcode, static_cast<std::uint8_t>((word >> 48) & 0xFF),
                          sign_extend48(word)};
  if (*opcode == Opcode::Set) {
    if (!register_name(controller, instruction.reg))
      fail("word {:016x}: unknown register 0x{:02x}", word, instruction.reg);
  } else if (instruction.reg != 0) {
    fail("word {:016x}: {} has a non-zero register field", word, opcode_name(*opcode));
  }
  const bool has_imm =
      *opcode == Opcode::Set || *opcode == Opcode::Reload || *opcode == Opcode::Start;
  if (!has_imm && instruction.imm != 0)
    fail("word {:016x}: {} has a non-zero immediate", word, opcode_name(*opcode));
  return instruction;
}

const char* opcode_name(Opcode opcode) {
  switch (opcode) {
    case Opcode::Nop: return "NOP";
    case Opcode::Set: return "SET";
    case Opcode::Sync: return "SYNC";
    case Opcode::Run: return "RUN";
    case Opcode::Done: return "DONE";
    case Opcode::Halt: return "HALT";
    case Opcode::Reload: return "RELOAD";
    case Opcode::Start: return "START";
    case Opcode::Wait: return "WAIT";
    case Opcode::Mark: return "MARK";
  }
  return "?";
}

const char* register_name(Controller controller, std::uint8_t reg) {
  switch (controller) {
    case Controller::Global: return find_name(kGlobalRegs, reg);
    case Controller::Weight:
      if (const char* name = find_name(kCommonRegs, reg)) return name;
      return find_name(kWeightRegs, reg);
    case Controller::Vector:
      if (const char* name = find_name(kCommonRegs, reg)) return name;
      return find_name(kVectorRegs, reg);
  }
  return nullptr;
}

std::string disassemble(const Instruction& instruction, Controller controller) {
  switch (instruction.op) {
    case Opcode::Set: {
      const char* name = register_name(controller, instruction.reg);
      std::string text = fmt::format("SET {}, {}", name ? name : "?", instruction.imm);
      if (controller == Controller::Vector && instruction.reg == ereg::kOp)
        if (const char* op_name = vector_op_name(instruction.imm))
          text += fmt::format("  ; {}", op_name);
      if (controller == Controller::Weight && instruction.reg == ereg::kArith) {
        const Arith a = Arith::unpack(instruction.imm);
        static const char* const kWeightEnc[] = {"twos", "offset", "offset_ref", "?"};
        static const char* const kAdc[] = {"clip", "scale", "lossless", "?"};
        text += fmt::format("  ; w{} a{}{} in_enc={} enc={} adc={}{} bpc={} dac={}", a.weight_bits,
                            a.input_bits, a.signed_input ? "s" : "u",
                            a.input_encoding ? "offset" : "twos", kWeightEnc[a.weight_encoding & 3],
                            kAdc[a.adc & 3], a.adc_bits, a.bits_per_cell, a.dac_bits);
      }
      return text;
    }
    case Opcode::Reload:
    case Opcode::Start: return fmt::format("{} {}", opcode_name(instruction.op), instruction.imm);
    default: return opcode_name(instruction.op);
  }
}

std::uint64_t requant_word(std::int64_t multiplier, int shift) {
  if (multiplier < kImmMin || multiplier > kImmMax || shift < 0 || shift > 255)
    fail("requantizer ({}, {}) does not fit the table word", multiplier, shift);
  return static_cast<std::uint64_t>(shift) << 48 |
         (static_cast<std::uint64_t>(multiplier) & kImmMask);
}

void unpack_requant_word(std::uint64_t word, std::int64_t& multiplier, int& shift) {
  multiplier = sign_extend48(word);
  shift = static_cast<int>((word >> 48) & 0xFF);
}

std::uint64_t resample_word(std::int64_t first, std::int64_t weight) {
  if (first < 0 || first > 0xFFFFFFFF || weight < 0 || weight > 0xFFFF)
    fail("RESAMPLE tap ({}, {}) does not fit the table word", first, weight);
  return static_cast<std::uint64_t>(first) | static_cast<std::uint64_t>(weight) << 32;
}

ResampleWord unpack_resample_word(std::uint64_t word) {
  return {static_cast<std::int64_t>(word & 0xFFFFFFFFu),
          static_cast<std::int64_t>((word >> 32) & 0xFFFFu)};
}

std::uint64_t concat_word(std::int64_t buffer, std::int64_t channels) {
  if (buffer < 0 || buffer > 0xFFFF || channels < 0 || channels > 0xFFFFFFFF)
    fail("CONCAT input (buffer {}, {} channels) does not fit the table word", buffer, channels);
  return static_cast<std::uint64_t>(buffer) | static_cast<std::uint64_t>(channels) << 16;
}

ConcatWord unpack_concat_word(std::uint64_t word) {
  return {static_cast<std::int64_t>(word & 0xFFFFu),
          static_cast<std::int64_t>((word >> 16) & 0xFFFFFFFFu)};
}

void encode_segment_header(const SegmentHeader& h, std::uint64_t& h0, std::uint64_t& h1) {
  if (h.tile < 0 || h.tile > 0xFFFF || h.array < 0 || h.array > 0xFF || h.rows < 0 ||
      h.rows > 0xFFFF || h.row_bits < 0 || h.row_bits > 0xFFFF || h.copies < 1 ||
      h.copies > 0xFFFF || h.copy_tile_stride < 0 || h.copy_tile_stride > 0xFFFF ||
      h.row_write < 1 || h.row_write > 0xFFFF)
    fail("off-chip segment (tile {}, array {}): a field does not fit the header", h.tile, h.array);
  h0 = kSegmentTag << 56 | static_cast<std::uint64_t>(h.tile) << 40 |
       static_cast<std::uint64_t>(h.array) << 32 | static_cast<std::uint64_t>(h.rows) << 16 |
       static_cast<std::uint64_t>(h.row_bits);
  h1 = static_cast<std::uint64_t>(h.copies) << 48 |
       static_cast<std::uint64_t>(h.copy_tile_stride) << 32 |
       static_cast<std::uint64_t>(h.row_write);
}

std::int64_t segment_payload_words(const SegmentHeader& h) {
  return (h.rows * h.row_bits + 63) / 64;
}

std::uint64_t stream_bits(const std::uint64_t* words, std::int64_t first, int count) {
  if (count == 0) return 0;
  const std::int64_t word = first / 64;
  const int bit = static_cast<int>(first % 64);
  std::uint64_t value = words[word] >> bit;
  if (bit + count > 64) value |= words[word + 1] << (64 - bit);
  return count == 64 ? value : value & ((std::uint64_t{1} << count) - 1);
}

SegmentHeader decode_segment_header(std::uint64_t h0, std::uint64_t h1) {
  if ((h0 >> 56) != kSegmentTag) fail("off-chip image: expected a segment header, got {:016x}", h0);
  if ((h1 & 0xFFFF0000u) != 0 || (h1 & 0xFFFFu) == 0)
    fail("off-chip image: bad segment header word {:016x}", h1);
  SegmentHeader h;
  h.tile = static_cast<std::int64_t>((h0 >> 40) & 0xFFFF);
  h.array = static_cast<int>((h0 >> 32) & 0xFF);
  h.rows = static_cast<std::int64_t>((h0 >> 16) & 0xFFFF);
  h.row_bits = static_cast<std::int64_t>(h0 & 0xFFFF);
  h.copies = static_cast<std::int64_t>(h1 >> 48);
  h.copy_tile_stride = static_cast<std::int64_t>((h1 >> 32) & 0xFFFF);
  h.row_write = static_cast<std::int64_t>(h1 & 0xFFFF);
  return h;
}

}  // namespace pimhls::compile
