// Data-ROM labels (compile/data_labels.h): hand-written programs whose RUNs read known tables.
#include <catch2/catch.hpp>

#include "compile/data_labels.h"
#include "compile/rom_file.h"
#include "util/error.h"

namespace pimhls::compile {
namespace {

std::vector<std::uint64_t> words(const std::vector<Instruction>& program) {
  std::vector<std::uint64_t> out;
  for (const Instruction& i : program) out.push_back(encode(i));
  return out;
}

TEST_CASE("data labels: a vector engine's RESAMPLE, AVGPOOL and LUT tables", "[compile]") {
  // RUN 0: RESAMPLE to 2x3 (rows at 0..1, columns at 2..4); RUN 1: a 1x2 AVGPOOL (divide
  // words for 0..2 taps at 5..7); RUN 2: a LUT whose input code 0 is word 9 (codes -1..1 at
  // 8..10: a LUT takes every word no other RUN reads). RUN 3 is a 1x2 RESAMPLE reading RUN
  // 0's table again (labelled by RUN 0, the first).
  const std::vector<Instruction> program = {
      set(ereg::kOp, 11),   set(ereg::kTable, 0), set(ereg::kOutH, 2),    set(ereg::kOutW, 3),
      set(ereg::kKh, 2),    set(ereg::kKw, 2),    set(ereg::kMulA, 4096), op(Opcode::Run),
      set(ereg::kOp, 2),    set(ereg::kTable, 5), set(ereg::kKh, 1),      op(Opcode::Run),
      set(ereg::kOp, 8),    set(ereg::kTable, 9), op(Opcode::Run),        set(ereg::kOp, 11),
      set(ereg::kTable, 0), op(Opcode::Run),      op(Opcode::Halt)};
  const std::vector<std::uint64_t> data = {resample_word(0, 1024),
                                           resample_word(3, 4096),
                                           resample_word(1, 0),
                                           resample_word(1, 2048),
                                           resample_word(4, 100),
                                           requant_word(0, 0),
                                           requant_word(1, 0),
                                           requant_word(16384, 15),
                                           static_cast<std::uint64_t>(-7),
                                           0,
                                           9};
  const std::vector<std::string> labels = data_labels(words(program), Controller::Vector, data);
  const std::vector<std::string> want = {
      "RUN 0 RESAMPLE: row 0: input rows 0, 1 weighted 3072/4096, 1024/4096",
      "RUN 0 RESAMPLE: row 1: input rows 3, 4 weighted 0/4096, 4096/4096",
      "RUN 0 RESAMPLE: column 0: input columns 1, 2 weighted 4096/4096, 0/4096",
      "RUN 0 RESAMPLE: column 1: input columns 1, 2 weighted 2048/4096, 2048/4096",
      "RUN 0 RESAMPLE: column 2: input columns 4, 5 weighted 3996/4096, 100/4096",
      "RUN 1 AVGPOOL: divide by 0 taps: M=0 shift=0",
      "RUN 1 AVGPOOL: divide by 1 taps: M=1 shift=0",
      "RUN 1 AVGPOOL: divide by 2 taps: M=16384 shift=15",
      "RUN 2 LUT: input code -1: output -7",
      "RUN 2 LUT: input code 0: output 0",
      "RUN 2 LUT: input code 1: output 9"};
  CHECK(labels == want);
}

TEST_CASE("data labels: nearest rows of a RESAMPLE name one input row", "[compile]") {
  // Word 2 is read by no RUN.
  const std::vector<Instruction> program = {
      set(ereg::kOp, 11), set(ereg::kOutH, 1),    set(ereg::kOutW, 1), set(ereg::kKh, 1),
      set(ereg::kKw, 2),  set(ereg::kMulA, 4096), op(Opcode::Run)};
  const std::vector<std::uint64_t> data = {resample_word(2, 0), resample_word(0, 512), 42};
  const std::vector<std::string> labels = data_labels(words(program), Controller::Vector, data);
  CHECK(labels == std::vector<std::string>{
                      "RUN 0 RESAMPLE: row 0: input row 2",
                      "RUN 0 RESAMPLE: column 0: input columns 0, 1 weighted 3584/4096, 512/4096",
                      ""});
  // describe_data prints a labelled word with its label, the others as integer and requantizer.
  CHECK(describe_data(data, labels) ==
        "    0  0000000000000002  RUN 0 RESAMPLE: row 0: input row 2\n"
        "    1  0000020000000000  RUN 0 RESAMPLE: column 0: input columns 0, 1 weighted "
        "3584/4096, 512/4096\n"
        "    2  000000000000002a                    42  (as requantizer: M=42 shift=0)\n");
}

TEST_CASE("data labels: a weight engine's copy and channel tables", "[compile]") {
  // RUN 0: a row piece (PSUM_OUT 1: no channel table) with two copies at 0..1; RUN 1: the
  // last piece, copy table at 2, channels 4..5 (OUT_C_OFF 4) at 3..6.
  const std::vector<Instruction> program = {
      set(ereg::kCopyTable, 0), set(ereg::kCopies, 2),  set(ereg::kPsumOut, 1),
      set(ereg::kTable, 3),     set(ereg::kOutCCnt, 2), op(Opcode::Run),
      set(ereg::kCopyTable, 2), set(ereg::kCopies, 1),  set(ereg::kPsumOut, 0),
      set(ereg::kOutCOff, 4),   op(Opcode::Run),        op(Opcode::Halt)};
  const std::vector<std::uint64_t> data = {
      0, 3, 5, static_cast<std::uint64_t>(-12), requant_word(300, 9), 40, requant_word(-2, 1)};
  CHECK(data_labels(words(program), Controller::Weight, data) ==
        std::vector<std::string>{"RUN 0: copy 0: first tile 0", "RUN 0: copy 1: first tile 3",
                                 "RUN 1: copy 0: first tile 5", "RUN 1: channel 4 bias -12",
                                 "RUN 1: channel 4 requantizer M=300 shift=9",
                                 "RUN 1: channel 5 bias 40",
                                 "RUN 1: channel 5 requantizer M=-2 shift=1"});
}

TEST_CASE("data labels: a word that is no instruction of the engine is an error", "[compile]") {
  CHECK_THROWS_AS(data_labels({encode(op(Opcode::Reload, 3))}, Controller::Vector, {}), Error);
}

}  // namespace
}  // namespace pimhls::compile
