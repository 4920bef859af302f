#include "hw/toml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "util/error.h"
#include "util/text.h"

namespace pimhls::hw {
namespace {

const char* type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

}  // namespace

TomlReader::TomlReader(const toml::table& table, std::string key_path, std::string fallback_source)
    : table_(table), key_path_(std::move(key_path)), fallback_source_(std::move(fallback_source)) {}

std::string TomlReader::location(const toml::node* node) const {
  std::string file = fallback_source_;
  unsigned line = 0;
  if (node) {
    const toml::source_region& source = node->source();
    if (source.path && !source.path->empty()) file = *source.path;
    line = source.begin.line;
  }
  return line ? fmt::format("{}:{}", file, line) : file;
}

std::string TomlReader::path_of(std::string_view key) const {
  return key_path_.empty() ? std::string(key) : fmt::format("{}.{}", key_path_, key);
}

void TomlReader::fail_at(std::string_view key, const std::string& what) const {
  fail("{}: {}: {}", location(table_.get(key)), path_of(key), what);
}

void TomlReader::fail_table(const std::string& what) const {
  if (key_path_.empty()) fail("{}: {}", location(nullptr), what);  // the root has no line
  fail("{}: {}: {}", location(&table_), key_path_, what);
}

void TomlReader::fail_unknown_name(std::string_view key, const std::string& name,
                                   const std::vector<std::string>& names) const {
  if (const auto suggestion = closest_match(name, names))
    fail_at(key, fmt::format("unknown name '{}'; did you mean '{}'?", name, *suggestion));
  fail_at(key, fmt::format("unknown name '{}' (expected one of: {})", name, join(names)));
}

bool TomlReader::has(std::string_view key) const { return table_.contains(key); }

bool TomlReader::has_optional(std::string_view key) {
  known_.emplace_back(key);
  return has(key);
}

void TomlReader::fail_if_misspelt(std::string_view key) const {
  // A missing key next to an unknown near-twin is a misspelling: report the twin, on its line.
  std::vector<std::string> unknown;
  for (const auto& [name, node] : table_)
    if (std::find(known_.begin(), known_.end(), name.str()) == known_.end())
      unknown.emplace_back(name.str());
  if (const auto twin = closest_match(key, unknown))
    fail("{}: {}: unknown key; did you mean '{}'?", location(table_.get(*twin)), path_of(*twin),
         key);
}

const toml::node& TomlReader::required(std::string_view key) {
  known_.emplace_back(key);
  const toml::node* node = table_.get(key);
  if (!node) {
    fail_if_misspelt(key);
    fail_table(fmt::format("missing key '{}'", key));
  }
  return *node;
}

double TomlReader::number(std::string_view key) {
  const toml::node& node = required(key);
  double value = 0;
  if (const auto* integer = node.as_integer())
    value = static_cast<double>(integer->get());
  else if (const auto* floating = node.as_floating_point())
    value = floating->get();
  else
    fail_at(key, fmt::format("expected a number, got {}", type_name(node)));
  if (!std::isfinite(value)) fail_at(key, "expected a finite number");
  return value;
}

std::int64_t TomlReader::integer(std::string_view key) {
  const toml::node& node = required(key);
  const auto* integer = node.as_integer();
  if (!integer) fail_at(key, fmt::format("expected an integer, got {}", type_name(node)));
  return integer->get();
}

double TomlReader::positive_number(std::string_view key) {
  const double value = number(key);
  if (value <= 0) fail_at(key, fmt::format("must be > 0, got {:g}", value));
  return value;
}

double TomlReader::non_negative_number(std::string_view key) {
  const double value = number(key);
  if (value < 0) fail_at(key, fmt::format("must be >= 0, got {:g}", value));
  return value;
}

int TomlReader::positive_int(std::string_view key) {
  const std::int64_t value = integer(key);
  if (value <= 0) fail_at(key, fmt::format("must be > 0, got {}", value));
  if (value > std::numeric_limits<int>::max()) fail_at(key, fmt::format("{} is too large", value));
  return static_cast<int>(value);
}

int TomlReader::non_negative_int(std::string_view key) {
  const std::int64_t value = integer(key);
  if (value < 0) fail_at(key, fmt::format("must be >= 0, got {}", value));
  if (value > std::numeric_limits<int>::max()) fail_at(key, fmt::format("{} is too large", value));
  return static_cast<int>(value);
}

std::string TomlReader::string(std::string_view key) {
  const toml::node& node = required(key);
  const auto* text = node.as_string();
  if (!text) fail_at(key, fmt::format("expected a string, got {}", type_name(node)));
  return text->get();
}

std::vector<int> TomlReader::positive_int_list(std::string_view key) {
  const toml::node& node = required(key);
  const auto* array = node.as_array();
  if (!array) fail_at(key, fmt::format("expected an array of integers, got {}", type_name(node)));
  if (array->empty()) fail_at(key, "must not be empty");
  std::vector<int> values;
  for (const toml::node& element : *array) {
    const auto* integer = element.as_integer();
    if (!integer)
      fail_at(key, fmt::format("expected an array of integers, found {}", type_name(element)));
    const std::int64_t value = integer->get();
    if (value <= 0 || value > std::numeric_limits<int>::max())
      fail_at(key, fmt::format("every entry must be > 0, got {}", value));
    values.push_back(static_cast<int>(value));
  }
  for (std::size_t i = 1; i < values.size(); ++i)
    if (values[i] <= values[i - 1])
      fail_at(key, fmt::format("entries must be distinct and increasing ({} after {})", values[i],
                               values[i - 1]));
  return values;
}

TomlReader TomlReader::table(std::string_view key) {
  known_.emplace_back(key);
  const toml::node* node = table_.get(key);
  if (!node) {
    fail_if_misspelt(key);
    const std::string section = path_of(key);
    if (key_path_.empty()) fail("{}: missing section [{}]", location(nullptr), section);
    fail("{}: {}: missing section [{}]", location(&table_), key_path_, section);
  }
  const auto* sub = node->as_table();
  if (!sub) fail_at(key, fmt::format("expected a table, got {}", type_name(*node)));
  return TomlReader(*sub, path_of(key), fallback_source_);
}

std::vector<std::string> TomlReader::keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, node] : table_) keys.emplace_back(key.str());
  return keys;
}

void TomlReader::finish() const {
  for (const auto& [key, node] : table_) {
    if (std::find(known_.begin(), known_.end(), key.str()) != known_.end()) continue;
    const std::string message =
        fmt::format("{}: {}: unknown key", location(&node), path_of(key.str()));
    if (const auto suggestion = closest_match(key.str(), known_))
      fail("{}; did you mean '{}'?", message, *suggestion);
    fail("{} (expected one of: {})", message, join(known_));
  }
}

}  // namespace pimhls::hw
