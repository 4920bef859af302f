#include "emit/rtl_sources.h"

#include <algorithm>
#include <functional>
#include <map>
#include <regex>
#include <set>

#include "util/error.h"
#include "util/files.h"

namespace pimhls::emit {
namespace {

namespace fs = std::filesystem;

struct Module {
  std::string file;
  std::string contents;
  bool package = false;
  std::set<std::string> uses;  // other rtl/ modules named in the text
};

// Code without comments, so that a module named in a comment is not a dependency.
std::string strip_comments(const std::string& text) {
  std::string code;
  code.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "//") == 0) {
      i = std::min(text.find('\n', i), text.size()) - 1;
      code += ' ';
    } else if (text.compare(i, 2, "/*") == 0) {
      i = std::min(text.find("*/", i + 2), text.size() - 2) + 1;
      code += ' ';
    } else {
      code += text[i];
    }
  }
  return code;
}

std::map<std::string, Module> read_modules(const fs::path& rtl_dir) {
  std::map<std::string, Module> modules;
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(rtl_dir))
    if (entry.is_regular_file() && entry.path().extension() == ".sv") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& path : files) {
    Module module;
    module.file = path.filename().string();
    module.contents = read_file(path);
    modules.emplace(path.stem().string(), std::move(module));
  }
  static const std::regex word(R"([A-Za-z_][A-Za-z0-9_$]*)");
  static const std::regex package_declaration(R"((^|\n)\s*package\s)");
  for (auto& [name, module] : modules) {
    const std::string code = strip_comments(module.contents);
    module.package = std::regex_search(code, package_declaration);
    for (auto it = std::sregex_iterator(code.begin(), code.end(), word);
         it != std::sregex_iterator(); ++it) {
      const std::string token = it->str();
      if (token != name && modules.count(token) != 0) module.uses.insert(token);
    }
  }
  return modules;
}

}  // namespace

std::vector<RtlSource> rtl_sources(const fs::path& rtl_dir, const std::vector<std::string>& roots) {
  const std::map<std::string, Module> modules = read_modules(rtl_dir);
  std::vector<std::string> order;
  std::set<std::string> visited;
  const std::function<void(const std::string&)> visit = [&](const std::string& name) {
    if (!visited.insert(name).second) return;
    for (const std::string& used : modules.at(name).uses) visit(used);
    order.push_back(name);
  };
  std::vector<std::string> sorted_roots = roots;
  std::sort(sorted_roots.begin(), sorted_roots.end());
  for (const std::string& root : sorted_roots) {
    if (modules.count(root) == 0)
      fail("{}/{}.sv: no such module in pimhls's rtl/ (needed by the generated top)",
           rtl_dir.string(), root);
    visit(root);
  }
  std::stable_partition(order.begin(), order.end(),
                        [&](const std::string& name) { return modules.at(name).package; });
  std::vector<RtlSource> sources;
  for (const std::string& name : order)
    sources.push_back({modules.at(name).file, modules.at(name).contents});
  return sources;
}

}  // namespace pimhls::emit
