#include "opt/area.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

#include "util/error.h"

namespace pimhls::opt {
namespace {

constexpr const char* kForms = "expected a number with a unit, e.g. 16mm2, 16 mm^2 or 16000000um2";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

double mm2_rounded_up(double area_um2) { return std::ceil(area_um2 * 1e-3 - 1e-6) / 1000.0; }

double parse_area_um2(std::string_view text) {
  const std::string_view whole = trim(text);
  std::string_view rest = whole;
  std::size_t digits = 0;
  while (digits < rest.size() &&
         (std::isdigit(static_cast<unsigned char>(rest[digits])) || rest[digits] == '.'))
    ++digits;
  double value = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + digits, value);
  if (digits == 0 || error != std::errc() || end != rest.data() + digits)
    fail("invalid area '{}': {}", text, kForms);
  const std::string_view unit = trim(rest.substr(digits));
  double scale = 0;
  if (unit == "mm2" || unit == "mm^2")
    scale = 1e6;
  else if (unit == "um2" || unit == "um^2")
    scale = 1;
  else if (unit.empty())
    fail("invalid area '{}': the unit is missing ({})", text, kForms);
  else
    fail("invalid area '{}': unknown unit '{}' ({})", text, unit, kForms);
  const double area = value * scale;
  if (!std::isfinite(area) || area <= 0) fail("invalid area '{}': it must be positive", text);
  return area;
}

std::vector<double> parse_area_range_um2(std::string_view text) {
  const std::size_t first = text.find(':');
  if (first == std::string_view::npos) return {parse_area_um2(text)};
  const std::size_t second = text.find(':', first + 1);
  if (second == std::string_view::npos || text.find(':', second + 1) != std::string_view::npos)
    fail("invalid area range '{}': expected START:STOP:STEP, e.g. 8mm2:64mm2:8mm2", text);
  const double start = parse_area_um2(text.substr(0, first));
  const double stop = parse_area_um2(text.substr(first + 1, second - first - 1));
  const double step = parse_area_um2(text.substr(second + 1));
  if (stop < start) fail("invalid area range '{}': STOP is below START", text);
  const double count = std::floor((stop - start) / step * (1 + 1e-12)) + 1;
  if (count > 1000) fail("invalid area range '{}': {:.0f} values (at most 1000)", text, count);
  std::vector<double> values;
  for (int i = 0; i < static_cast<int>(count); ++i) values.push_back(start + i * step);
  return values;
}

}  // namespace pimhls::opt
