#pragma once
// The TOML side of hw::Library, internal to hw/: parsing, overlaying, schema.
#include <toml++/toml.h>

#include <string_view>

#include "hw/library.h"

namespace pimhls::hw {

// The top-level `base` key of a --hw file: lay it over the built-in library, or stand alone.
enum class Base { Builtin, None };

inline constexpr std::string_view kBuiltinSource = "<built-in library>";

// toml::parse with syntax errors turned into one-line Errors ("FILE:LINE: TOML syntax error: ...").
toml::table parse_toml(std::string_view text, std::string_view source_name);

// The value of `base` (Builtin when absent); throws for any other value.
Base read_base(const toml::table& root, std::string_view source_name);

// Validates the whole schema (library_parse.cpp).
Library library_from_table(const toml::table& root, std::string_view source_name);

// Lays `overlay` over `base`: sub-tables merge key by key, anything else replaces. Nodes keep the
// source (file, line) they were parsed from, so messages name the file that set a value.
void merge_tables(toml::table& base, toml::table&& overlay);

}  // namespace pimhls::hw
