#include "emit/design_files.h"

#include <fmt/format.h>

#include "emit/hash.h"
#include "emit/header.h"
#include "emit/resources.h"
#include "emit/rtl_sources.h"
#include "emit/sim_config.h"
#include "emit/top.h"
#include "util/files.h"

namespace pimhls::emit {

std::string input_hash(const compile::Program& program, const std::string& design_json) {
  return Fnv1a().add(fmt::format("{:016x}", program.hash())).add(design_json).hex();
}

std::vector<GeneratedFile> design_files(const compile::Program& program,
                                        const quant::QuantizedGraph& graph,
                                        const compile::DesignInfo& design,
                                        const hw::Library& library, const DesignContext& context) {
  const std::string hash = input_hash(program, context.design_json);
  const TopNetlist top =
      top_netlist(program, design, library,
                  header("//", "pimhls_top.sv", "top level of the generated chip", hash),
                  header("//", "sim/pimhls_sim_top.sv",
                         "simulation top: the chip and its off-chip memory", hash));
  std::vector<GeneratedFile> files;
  ScriptInputs scripts{"pimhls_top", {}, context.clock_ghz, hash};
  // rtl/ is copied verbatim: its files are the repository's, so they keep their own headers.
  for (const RtlSource& source : rtl_sources(resource_dir(Resource::Rtl), top.modules)) {
    files.push_back({"rtl/" + source.file, source.contents});
    scripts.sources.push_back("rtl/" + source.file);
  }
  scripts.sources.push_back("pimhls_top.sv");
  files.push_back({"pimhls_top.sv", top.text});
  for (GeneratedFile& file : design_scripts(scripts)) files.push_back(std::move(file));
  files.push_back({"sim_config.json", sim_config_json(program, graph, context, hash)});
  // The simulation's own sources (not in filelist.f): the memory model and the top around the chip.
  files.push_back(
      {"sim/offchip_memory.sv", read_file(resource_dir(Resource::Rtl) / "offchip_memory.sv")});
  files.push_back({"sim/pimhls_sim_top.sv", top.sim_text});
  files.push_back(
      {"sim/pimhls_sim_main.cpp", read_file(resource_dir(Resource::Sim) / "pimhls_sim_main.cpp")});
  return files;
}

}  // namespace pimhls::emit
