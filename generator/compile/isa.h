#pragma once
// The instruction set of docs/isa.md: opcodes, register ids, the 64-bit word format, and the
// encoder, decoder and disassembler shared by the compiler, the emulator and `pimhls disasm`.
//
//   word = [63:56] opcode | [55:48] register id (SET only) | [47:0] immediate (two's complement)
//
// encode() and decode() are exact inverses on valid instructions; decode() rejects words with
// an unknown opcode or register, or non-zero unused fields (Error naming the word).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "ir/graph.h"

namespace pimhls::compile {

enum class Controller { Global, Weight, Vector };

enum class Opcode : std::uint8_t {
  Nop = 0x00,
  Set = 0x01,
  Sync = 0x02,
  Run = 0x03,
  Done = 0x04,
  Halt = 0x05,
  Reload = 0x10,
  Start = 0x11,
  Wait = 0x12,
  Mark = 0x13,
};

// Register ids (docs/isa.md). Global controller:
namespace greg {
inline constexpr std::uint8_t kXferCycles = 0x01;
inline constexpr std::uint8_t kWriteCycles = 0x02;
inline constexpr std::uint8_t kRowWrite = 0x03;
}  // namespace greg

// Engines (weight and vector engines share the ids of common registers).
namespace ereg {
inline constexpr std::uint8_t kInBuf = 0x01;
inline constexpr std::uint8_t kInC = 0x02;
inline constexpr std::uint8_t kInH = 0x03;
inline constexpr std::uint8_t kInW = 0x04;
inline constexpr std::uint8_t kInCOff = 0x05;  // weight engine
inline constexpr std::uint8_t kIn2Buf = 0x05;  // vector engine
inline constexpr std::uint8_t kInCCnt = 0x06;
inline constexpr std::uint8_t kInCStep = 0x07;
inline constexpr std::uint8_t kKh = 0x08;
inline constexpr std::uint8_t kKw = 0x09;
inline constexpr std::uint8_t kStrideH = 0x0A;
inline constexpr std::uint8_t kStrideW = 0x0B;
inline constexpr std::uint8_t kPadT = 0x0C;
inline constexpr std::uint8_t kPadL = 0x0D;
inline constexpr std::uint8_t kDilH = 0x0E;
inline constexpr std::uint8_t kDilW = 0x0F;
inline constexpr std::uint8_t kOutBuf = 0x10;
inline constexpr std::uint8_t kOutC = 0x11;
inline constexpr std::uint8_t kOutCOff = 0x12;
inline constexpr std::uint8_t kOutCCnt = 0x13;
inline constexpr std::uint8_t kOutH = 0x14;
inline constexpr std::uint8_t kOutW = 0x15;
inline constexpr std::uint8_t kGroups = 0x16;
inline constexpr std::uint8_t kOutCPerGroup = 0x17;
inline constexpr std::uint8_t kPsumInBuf = 0x18;
inline constexpr std::uint8_t kPsumOut = 0x19;
inline constexpr std::uint8_t kTable = 0x1A;
inline constexpr std::uint8_t kClampMin = 0x1B;
inline constexpr std::uint8_t kClampMax = 0x1C;
inline constexpr std::uint8_t kTile = 0x20;
inline constexpr std::uint8_t kArraysPerTile = 0x21;
inline constexpr std::uint8_t kCopies = 0x22;
inline constexpr std::uint8_t kCopyTable = 0x23;
inline constexpr std::uint8_t kRowBlocks = 0x24;
inline constexpr std::uint8_t kColBlocks = 0x25;
inline constexpr std::uint8_t kRowsPerArray = 0x26;
inline constexpr std::uint8_t kWeightsPerArray = 0x27;
inline constexpr std::uint8_t kSlices = 0x28;
inline constexpr std::uint8_t kArith = 0x29;
inline constexpr std::uint8_t kParallelRows = 0x2A;
inline constexpr std::uint8_t kAdcShift = 0x2B;
inline constexpr std::uint8_t kArrayRows = 0x2C;
inline constexpr std::uint8_t kArrayCols = 0x2D;
inline constexpr std::uint8_t kIi = 0x30;
inline constexpr std::uint8_t kDepth = 0x31;
inline constexpr std::uint8_t kVecPeriod = 0x32;
inline constexpr std::uint8_t kVecSlotLo = 0x33;
inline constexpr std::uint8_t kVecSlotHi = 0x34;
inline constexpr std::uint8_t kVectors = 0x3C;
inline constexpr std::uint8_t kOp = 0x40;
inline constexpr std::uint8_t kMulA = 0x41;
inline constexpr std::uint8_t kMulB = 0x42;
inline constexpr std::uint8_t kShift = 0x43;
inline constexpr std::uint8_t kFlags = 0x44;
inline constexpr std::uint8_t kPadB = 0x45;
inline constexpr std::uint8_t kPadR = 0x46;
inline constexpr std::uint8_t kPixelCycles = 0x47;
inline constexpr std::uint8_t kInCount = 0x48;
inline constexpr std::uint8_t kUpH = 0x49;
inline constexpr std::uint8_t kUpW = 0x4A;
inline constexpr std::uint8_t kInCFirst = 0x4B;  // vector engine: IN_BUF's first channel
inline constexpr int kCount = 0x4C;              // register file size
}  // namespace ereg

// Vector engine operations (register OP).
enum class VectorOp : std::uint8_t {
  MaxPool = 1,
  AvgPool = 2,
  Gap = 3,
  Add = 4,
  Copy = 5,
  Affine = 6,
  Concat = 7,
  Lut = 8,
  Mul = 9,
  ChannelMax = 10,
  Resample = 11
};

// The ARITH register of a weight engine.
struct Arith {
  int weight_bits = 8;
  int input_bits = 8;
  bool signed_input = false;
  int input_encoding = 0;   // 0 twos, 1 offset
  int weight_encoding = 0;  // 0 twos, 1 offset, 2 offset_ref
  int adc = 0;              // 0 clip, 1 scale, 2 lossless
  int bits_per_cell = 1;
  int dac_bits = 1;
  int adc_bits = 8;
  std::int64_t pack() const;
  static Arith unpack(std::int64_t value);
};

struct Instruction {
  Opcode op = Opcode::Nop;
  std::uint8_t reg = 0;
  std::int64_t imm = 0;
  friend bool operator==(const Instruction&, const Instruction&) = default;
};

inline constexpr std::int64_t kImmMin = -(std::int64_t{1} << 47);
inline constexpr std::int64_t kImmMax = (std::int64_t{1} << 47) - 1;

Instruction set(std::uint8_t reg, std::int64_t value);
Instruction op(Opcode opcode, std::int64_t imm = 0);

// Throws Error when the immediate does not fit 48 bits.
std::uint64_t encode(const Instruction& instruction);
Instruction decode(std::uint64_t word, Controller controller);

// Mnemonic and register names (nullptr for an unknown register of that controller).
const char* opcode_name(Opcode opcode);
const char* register_name(Controller controller, std::uint8_t reg);
std::optional<Opcode> opcode_of(std::uint8_t value);
// "MAXPOOL", ... for a value of register OP (nullptr for an unknown one).
const char* vector_op_name(std::int64_t value);
// "SET IN_C, 3", "RELOAD 29", "SYNC".
std::string disassemble(const Instruction& instruction, Controller controller);

// Data-ROM requantizer word: [55:48] shift, [47:0] multiplier.
std::uint64_t requant_word(std::int64_t multiplier, int shift);
void unpack_requant_word(std::uint64_t word, std::int64_t& multiplier, int& shift);
// Data-ROM RESAMPLE axis word: [31:0] the window's first input index, [47:32] the next one's
// fixed-point weight.
struct ResampleWord {
  std::int64_t first = 0, weight = 0;
};
std::uint64_t resample_word(std::int64_t first, std::int64_t weight);
ResampleWord unpack_resample_word(std::uint64_t word);
// Data-ROM CONCAT input word: [15:0] the input's buffer id, [47:16] its channels.
struct ConcatWord {
  std::int64_t buffer = 0, channels = 0;
};
std::uint64_t concat_word(std::int64_t buffer, std::int64_t channels);
ConcatWord unpack_concat_word(std::uint64_t word);

// Phases of a gather (FLAGS[4]), each OUT_C_CNT table words: a COPY has one, a MAXPOOL one per
// pixel of its UP_H x UP_W block (DepthToSpace).
inline std::int64_t gather_phases(VectorOp op, std::int64_t up_h, std::int64_t up_w) {
  return op == VectorOp::MaxPool ? std::max<std::int64_t>(up_h, 1) * std::max<std::int64_t>(up_w, 1)
                                 : 1;
}

// FLAGS[7:6] of MAXPOOL/AVGPOOL: what taps outside the input read (ir::Border's values).
inline std::int64_t border_flags(ir::Border border) {
  return static_cast<std::int64_t>(border) << 6;
}
inline ir::Border flags_border(std::int64_t flags) {
  return static_cast<ir::Border>((flags >> 6) & 3);
}

// Off-chip segment headers.
inline constexpr std::uint64_t kSegmentTag = 0xA5;
struct SegmentHeader {
  std::int64_t tile = 0;
  int array = 0;
  std::int64_t rows = 0;
  std::int64_t row_bits = 0;  // bits per row (used columns * bits_per_cell), packed densely
  std::int64_t copies = 1;
  std::int64_t copy_tile_stride = 0;
  std::int64_t row_write = 1;  // cycles a row write keeps the arrays busy (their write time)
  friend bool operator==(const SegmentHeader&, const SegmentHeader&) = default;
};
void encode_segment_header(const SegmentHeader& header, std::uint64_t& h0, std::uint64_t& h1);
SegmentHeader decode_segment_header(std::uint64_t h0, std::uint64_t h1);
// Payload words of a segment: ceil(rows * row_bits / 64).
std::int64_t segment_payload_words(const SegmentHeader& header);
// Bits [first, first + count) of a little-endian bit stream (count <= 64).
std::uint64_t stream_bits(const std::uint64_t* words, std::int64_t first, int count);

}  // namespace pimhls::compile
