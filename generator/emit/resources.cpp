#include "emit/resources.h"

#include <cstdlib>
#include <system_error>
#include <vector>

#include "util/error.h"
#include "util/files.h"

namespace pimhls::emit {
namespace {

namespace fs = std::filesystem;

struct ResourceInfo {
  const char* name;
  const char* environment;
  const char* source_dir;
};

ResourceInfo info(Resource resource) {
  switch (resource) {
    case Resource::Rtl: return {"rtl", "PIMHLS_RTL_DIR", PIMHLS_RTL_DIR};
    case Resource::Templates: return {"templates", "PIMHLS_TEMPLATES_DIR", PIMHLS_TEMPLATES_DIR};
    case Resource::Sim: break;
  }
  return {"sim", "PIMHLS_SIM_DIR", PIMHLS_SIM_DIR};
}

fs::path executable_dir() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::path() : self.parent_path();
}

}  // namespace

fs::path resource_dir(Resource resource) {
  const ResourceInfo r = info(resource);
  std::vector<fs::path> candidates;
  if (const char* value = std::getenv(r.environment); value != nullptr && *value != '\0')
    candidates.emplace_back(value);
  candidates.emplace_back(r.source_dir);
  if (const fs::path exe = executable_dir(); !exe.empty())
    candidates.push_back(exe.parent_path() / "share" / "pimhls" / r.name);
  std::error_code error;
  std::string tried;
  for (const fs::path& candidate : candidates) {
    if (fs::is_directory(candidate, error)) return candidate;
    tried += (tried.empty() ? "" : ", ") + candidate.string();
  }
  fail("cannot find pimhls's {}/ directory (looked in {}; set {})", r.name, tried, r.environment);
}

std::string read_template(const std::string& name) {
  return read_file(resource_dir(Resource::Templates) / name);
}

}  // namespace pimhls::emit
