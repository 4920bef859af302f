#pragma once
// What each word of an engine's data ROM means to the RUNs of its program (docs/isa.md: the
// weight engine's copy and channel tables, the vector ops' tables), for `pimhls disasm`.
#include <cstdint>
#include <string>
#include <vector>

#include "compile/isa.h"

namespace pimhls::compile {

// One label per data word ("" for a word no RUN reads), e.g. "RUN 0 RESAMPLE row 2: input
// rows 1, 2 weighted 2048/4096, 2048/4096". Registers start at 0 (docs/isa.md). Throws Error
// on a word that does not decode as an instruction of `controller`.
std::vector<std::string> data_labels(const std::vector<std::uint64_t>& program,
                                     Controller controller, const std::vector<std::uint64_t>& data);

}  // namespace pimhls::compile
