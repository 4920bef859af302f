#pragma once
// All-or-nothing output: every file of a run is written to a temporary name in the output
// directory first; only when all of them are complete are they renamed into place. A failure
// removes the temporaries and leaves the directory as it was.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace pimhls::report {

// Throws Error naming the directory or file that could not be written.
void write_outputs(const std::filesystem::path& directory,
                   const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace pimhls::report
