#include "report/output_files.h"

#include <fstream>
#include <system_error>

#include "util/error.h"

namespace pimhls::report {

void write_outputs(const std::filesystem::path& directory,
                   const std::vector<std::pair<std::string, std::string>>& files) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (fs::exists(directory, error) && !fs::is_directory(directory, error))
    fail("{}: exists and is not a directory", directory.string());
  fs::create_directories(directory, error);
  if (error) fail("{}: cannot create the directory: {}", directory.string(), error.message());
  // Whatever could make a rename fail half-way is refused before anything is written.
  for (const auto& [name, contents] : files)
    if (fs::is_directory(directory / name, error))
      fail("{}: exists and is a directory", (directory / name).string());
  std::vector<fs::path> staged;
  const auto discard = [&] {
    for (const fs::path& path : staged) fs::remove(path, error);
  };
  for (const auto& [name, contents] : files) {
    const fs::path temporary = directory / ("." + name + ".partial");
    staged.push_back(temporary);
    std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
    stream.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    stream.close();
    if (!stream) {
      discard();
      fail("{}: cannot write", (directory / name).string());
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    fs::rename(staged[i], directory / files[i].first, error);
    if (error) {
      discard();
      fail("{}: cannot write: {}", (directory / files[i].first).string(), error.message());
    }
  }
}

}  // namespace pimhls::report
