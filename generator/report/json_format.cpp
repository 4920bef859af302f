#include "report/json_format.h"

#include <cmath>
#include <set>

namespace pimhls::report {

double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  const double out = std::round(value * scale) / scale;
  return out == 0 ? 0.0 : out;
}

std::string dump(const Json& json) { return json.dump(2) + "\n"; }

Json technology_names(const opt::Problem& problem, const std::vector<int>& layer_technology) {
  Json names = Json::array();
  for (int tech : layer_technology)
    names.push_back(problem.technologies[static_cast<std::size_t>(tech)].name);
  return names;
}

std::string assignment_code(const opt::Problem& problem, const std::vector<int>& layer_technology) {
  std::set<char> letters;
  for (const opt::Technology& tech : problem.technologies)
    letters.insert(tech.name.empty() ? '?' : tech.name[0]);
  const bool by_letter = letters.size() == problem.technologies.size();
  std::string code;
  for (int tech : layer_technology)
    code += by_letter ? problem.technologies[static_cast<std::size_t>(tech)].name[0]
                      : static_cast<char>('0' + tech % 10);
  return code;
}

}  // namespace pimhls::report
