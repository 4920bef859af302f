// The word format of docs/isa.md: encode/decode round trips (seeded random instructions), the
// decoder's rejections, segment headers, ARITH and requantizer words.
#include <catch2/catch.hpp>
#include <random>

#include "compile/isa.h"
#include "util/error.h"

namespace pimhls::compile {
namespace {

TEST_CASE("isa: words of known instructions", "[compile]") {
  CHECK(encode(set(ereg::kInC, 3)) == 0x0102000000000003ull);
  CHECK(encode(set(ereg::kPsumInBuf, -1)) == 0x0118ffffffffffffull);
  CHECK(encode(op(Opcode::Reload, 29)) == 0x100000000000001dull);
  CHECK(encode(op(Opcode::Sync)) == 0x0200000000000000ull);
  CHECK(encode(op(Opcode::Halt)) == 0x0500000000000000ull);
  CHECK(decode(0x0118ffffffffffffull, Controller::Weight) == set(ereg::kPsumInBuf, -1));
  CHECK(disassemble(set(ereg::kOp, 1), Controller::Vector) == "SET OP, 1  ; MAXPOOL");
  CHECK(disassemble(op(Opcode::Start, 2), Controller::Global) == "START 2");
}

TEST_CASE("isa: encode/decode round trip on random instructions", "[compile]") {
  std::mt19937_64 random(42);
  const Controller kinds[] = {Controller::Global, Controller::Weight, Controller::Vector};
  for (int trial = 0; trial < 20000; ++trial) {
    const Controller kind = kinds[random() % 3];
    Instruction i;
    const std::uint8_t opcode = static_cast<std::uint8_t>(random() % 0x14);
    const auto o = opcode_of(opcode);
    if (!o) continue;
    i.op = *o;
    if (i.op == Opcode::Set) {
      i.reg = static_cast<std::uint8_t>(random() % 0x50);
      if (!register_name(kind, i.reg)) continue;
    }
    if (i.op == Opcode::Set || i.op == Opcode::Reload || i.op == Opcode::Start)
      i.imm = static_cast<std::int64_t>(random() % (std::uint64_t{1} << 48)) + kImmMin;
    const std::uint64_t word = encode(i);
    bool valid = true;
    if ((kind == Controller::Global) != (i.op == Opcode::Reload || i.op == Opcode::Start ||
                                         i.op == Opcode::Wait || i.op == Opcode::Mark))
      valid = i.op == Opcode::Nop || i.op == Opcode::Set || i.op == Opcode::Halt;
    if (valid) {
      REQUIRE(decode(word, kind) == i);
      REQUIRE(encode(decode(word, kind)) == word);
    } else {
      REQUIRE_THROWS_AS(decode(word, kind), Error);
    }
  }
}

TEST_CASE("isa: the decoder rejects malformed words", "[compile]") {
  CHECK_THROWS_WITH(decode(0x7700000000000000ull, Controller::Global),
                    Catch::Contains("unknown opcode 0x77"));
  CHECK_THROWS_WITH(decode(0x0201000000000000ull, Controller::Weight),
                    Catch::Contains("non-zero register field"));
  CHECK_THROWS_WITH(decode(0x0300000000000001ull, Controller::Weight),
                    Catch::Contains("non-zero immediate"));
  CHECK_THROWS_WITH(decode(0x01ff000000000000ull, Controller::Vector),
                    Catch::Contains("unknown register 0xff"));
  CHECK_THROWS_WITH(decode(0x1000000000000001ull, Controller::Weight),
                    Catch::Contains("not an instruction of this controller"));
  CHECK_THROWS_WITH(encode(set(ereg::kInC, std::int64_t{1} << 47)), Catch::Contains("48 bits"));
}

TEST_CASE("isa: stream_bits reads across word boundaries", "[compile]") {
  const std::uint64_t words[] = {0xf000000000000000ull, 0x0000000000000005ull};
  CHECK(stream_bits(words, 60, 4) == 0xf);
  CHECK(stream_bits(words, 62, 3) == 0x7);  // bits 62, 63 of word 0 and bit 0 of word 1
  CHECK(stream_bits(words, 63, 3) == 0x3);
  CHECK(stream_bits(words, 64, 3) == 0x5);
  CHECK(stream_bits(words, 0, 64) == 0xf000000000000000ull);
}

TEST_CASE("isa: ARITH, requantizer words and segment headers round trip", "[compile]") {
  std::mt19937 random(3);
  for (int trial = 0; trial < 1000; ++trial) {
    Arith a;
    a.weight_bits = 1 + static_cast<int>(random() % 16);
    a.input_bits = 1 + static_cast<int>(random() % 16);
    a.signed_input = random() % 2;
    a.input_encoding = static_cast<int>(random() % 2);
    a.weight_encoding = static_cast<int>(random() % 3);
    a.adc = static_cast<int>(random() % 3);
    a.bits_per_cell = 1 + static_cast<int>(random() % 4);
    a.dac_bits = 1 + static_cast<int>(random() % 8);
    a.adc_bits = 1 + static_cast<int>(random() % 16);
    const Arith b = Arith::unpack(a.pack());
    REQUIRE(b.pack() == a.pack());
    REQUIRE(a.pack() <= kImmMax);
    const std::int64_t m = static_cast<std::int64_t>(random() % 65536) - 32768;
    const int s = static_cast<int>(random() % 63);
    std::int64_t m2 = 0;
    int s2 = 0;
    unpack_requant_word(requant_word(m, s), m2, s2);
    REQUIRE(m2 == m);
    REQUIRE(s2 == s);
    SegmentHeader h{static_cast<std::int64_t>(random() % 65536),
                    static_cast<int>(random() % 256),
                    static_cast<std::int64_t>(random() % 65536),
                    static_cast<std::int64_t>(random() % 65536),
                    1 + static_cast<std::int64_t>(random() % 65535),
                    static_cast<std::int64_t>(random() % 65536),
                    1 + static_cast<std::int64_t>(random() % 65535)};
    std::uint64_t h0 = 0, h1 = 0;
    encode_segment_header(h, h0, h1);
    REQUIRE(decode_segment_header(h0, h1) == h);
  }
  // The example of docs/isa.md: tile 0, array 0, 27 rows of 64 bits, one copy.
  std::uint64_t h0 = 0, h1 = 0;
  encode_segment_header({0, 0, 27, 64, 1, 0, 3}, h0, h1);
  CHECK(h0 == 0xa5000000001b0040ull);
  CHECK(segment_payload_words({0, 0, 27, 64, 1, 0}) == 27);
  CHECK(segment_payload_words({0, 0, 3, 24, 1, 0}) == 2);
  CHECK(h1 == 0x0001000000000003ull);
}

TEST_CASE("isa: RESAMPLE and CONCAT table words", "[compile]") {
  // docs/isa.md: RESAMPLE [31:0] first index, [47:32] weight; CONCAT [15:0] buffer, [47:16]
  // channels.
  CHECK(resample_word(5, 0x1234) == 0x0000123400000005ull);
  CHECK(concat_word(3, 96) == 0x0000000000600003ull);
  CHECK(concat_word(0xFFFF, 0xFFFFFFFF) == 0x0000FFFFFFFFFFFFull);
  std::mt19937_64 random(7);
  for (int trial = 0; trial < 1000; ++trial) {
    const std::int64_t first = static_cast<std::int64_t>(random() % (1ull << 32)),
                       weight = static_cast<std::int64_t>(random() % (1ull << 16));
    const ResampleWord r = unpack_resample_word(resample_word(first, weight));
    REQUIRE(r.first == first);
    REQUIRE(r.weight == weight);
    const std::int64_t buffer = static_cast<std::int64_t>(random() % (1ull << 16)),
                       channels = static_cast<std::int64_t>(random() % (1ull << 32));
    const ConcatWord c = unpack_concat_word(concat_word(buffer, channels));
    REQUIRE(c.buffer == buffer);
    REQUIRE(c.channels == channels);
  }
  CHECK_THROWS_WITH(resample_word(-1, 0), Catch::Contains("does not fit"));
  CHECK_THROWS_WITH(resample_word(0, 0x10000), Catch::Contains("does not fit"));
  CHECK_THROWS_WITH(concat_word(0x10000, 1), Catch::Contains("does not fit"));
  CHECK_THROWS_WITH(concat_word(1, 1ll << 32), Catch::Contains("does not fit"));
}

}  // namespace
}  // namespace pimhls::compile
