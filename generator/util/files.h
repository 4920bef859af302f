#pragma once
// File I/O with the guarantees the CLI promises: errors name the file, and outputs are either
// written whole or not at all (no half-written files).
#include <filesystem>
#include <string>
#include <string_view>

namespace pimhls {

// Reads a whole file; throws Error naming the file when it cannot. Refuses files larger than
// max_bytes so that a wrong path cannot make us allocate gigabytes.
std::string read_file(const std::filesystem::path& path,
                      std::uintmax_t max_bytes = std::uintmax_t{4} << 30);

// Writes `contents` to a temporary file next to `path` and renames it into place.
void write_file_atomic(const std::filesystem::path& path, std::string_view contents);

}  // namespace pimhls
