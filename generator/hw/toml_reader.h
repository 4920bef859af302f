#pragma once
// Strict reading of one TOML table: every key is either read or reported as unknown (with
// "did you mean"), every value is type- and range-checked, and every message is one line
// "FILE:LINE: key.path: what is wrong". Internal to hw/.
#include <toml++/toml.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pimhls::hw {

class TomlReader {
 public:
  // `key_path` is the table's dotted path ("" for the root); `fallback_source` names the file
  // when a node carries no source information.
  TomlReader(const toml::table& table, std::string key_path, std::string fallback_source);

  bool has(std::string_view key) const;
  // has(), and the key counts as known for finish() (for optional keys).
  bool has_optional(std::string_view key);

  // Required values. Numbers accept TOML integers and floats.
  double positive_number(std::string_view key);      // > 0
  double non_negative_number(std::string_view key);  // >= 0
  int positive_int(std::string_view key);
  int non_negative_int(std::string_view key);
  std::string string(std::string_view key);
  // A non-empty list of distinct positive integers, in increasing order.
  std::vector<int> positive_int_list(std::string_view key);

  // One of `choices` (name -> value); unknown names get "did you mean".
  template <typename Enum>
  Enum choice(std::string_view key, const std::vector<std::pair<std::string, Enum>>& choices) {
    const std::string name = string(key);
    for (const auto& [choice_name, value] : choices)
      if (choice_name == name) return value;
    std::vector<std::string> names;
    for (const auto& entry : choices) names.push_back(entry.first);
    fail_unknown_name(key, name, names);
  }

  // A required sub-table and the reader for it.
  TomlReader table(std::string_view key);

  // The keys of this table in order (for tables whose keys are names, like [tile]).
  std::vector<std::string> keys() const;

  // Throws for the first key that was never asked for.
  void finish() const;

  // Error helpers usable by callers with the same location rules.
  [[noreturn]] void fail_at(std::string_view key, const std::string& what) const;
  [[noreturn]] void fail_table(const std::string& what) const;
  [[noreturn]] void fail_unknown_name(std::string_view key, const std::string& name,
                                      const std::vector<std::string>& names) const;

  const std::string& key_path() const { return key_path_; }

 private:
  const toml::node& required(std::string_view key);
  void fail_if_misspelt(std::string_view key) const;
  double number(std::string_view key);
  std::int64_t integer(std::string_view key);
  std::string location(const toml::node* node) const;
  std::string path_of(std::string_view key) const;

  const toml::table& table_;
  std::string key_path_;
  std::string fallback_source_;
  std::vector<std::string> known_;
};

}  // namespace pimhls::hw
