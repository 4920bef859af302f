#pragma once
// Where the static inputs of emission live: the hand-written rtl/, the templates/ and the sim/
// harness. Looked up in order: the environment (PIMHLS_RTL_DIR, PIMHLS_TEMPLATES_DIR,
// PIMHLS_SIM_DIR), the source tree pimhls was built from, <binary>/../share/pimhls/<name>.
#include <filesystem>
#include <string>

namespace pimhls::emit {

enum class Resource { Rtl, Templates, Sim };

// The directory of `resource`; throws Error listing the places looked at when none exists.
std::filesystem::path resource_dir(Resource resource);

// The contents of templates/<name>; throws Error naming the file.
std::string read_template(const std::string& name);

}  // namespace pimhls::emit
