#pragma once
// The static modules of rtl/ a generated top needs: the closure of the modules it instantiates,
// packages first, then every module after the modules it uses (the order of filelist.f).
#include <filesystem>
#include <string>
#include <vector>

namespace pimhls::emit {

struct RtlSource {
  std::string file;      // "pim_array.sv"
  std::string contents;  // copied verbatim into OUT/rtl/
};

// `roots`: module names (file stems) the top instantiates. Throws Error naming a root that has
// no rtl/<root>.sv.
std::vector<RtlSource> rtl_sources(const std::filesystem::path& rtl_dir,
                                   const std::vector<std::string>& roots);

}  // namespace pimhls::emit
