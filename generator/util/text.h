#pragma once
// Small text helpers shared by the parsers and the CLI.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pimhls {

// Edit distance (Levenshtein), for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a plausible misspelling.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// "a, b, c" for messages.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

// Human-readable number with thousands separators: 12976266 -> "12,976,266".
std::string with_thousands(std::int64_t value);

}  // namespace pimhls
