#include "emit/staged_output.h"

#include <algorithm>
#include <fstream>
#include <system_error>
#include <vector>

#include "util/error.h"

namespace pimhls::emit {

namespace fs = std::filesystem;

StagedOutput::StagedOutput(fs::path directory)
    : directory_(std::move(directory)), staging_(directory_ / ".pimhls-partial") {
  std::error_code error;
  if (fs::exists(directory_, error) && !fs::is_directory(directory_, error))
    fail("{}: exists and is not a directory", directory_.string());
  created_ = !fs::exists(directory_, error);
  fs::create_directories(directory_, error);
  if (error) fail("{}: cannot create the directory: {}", directory_.string(), error.message());
  fs::remove_all(staging_, error);  // left over by a run that was killed
  fs::create_directory(staging_, error);
  if (error) fail("{}: cannot create: {}", staging_.string(), error.message());
}

StagedOutput::~StagedOutput() {
  std::error_code error;
  fs::remove_all(staging_, error);
  if (created_ && !committed_) fs::remove(directory_, error);  // (only if still empty)
}

void StagedOutput::write(const std::string& relative, std::string_view contents) const {
  const fs::path path = staging_ / relative;
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  std::ofstream stream(path, std::ios::binary | std::ios::trunc);
  stream.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  stream.close();
  if (error || !stream) fail("{}: cannot write", (directory_ / relative).string());
}

void StagedOutput::commit() {
  std::error_code error;
  std::vector<fs::path> entries;
  for (const fs::directory_entry& entry : fs::directory_iterator(staging_))
    entries.push_back(entry.path().filename());
  std::sort(entries.begin(), entries.end());
  // Whatever could make a rename fail half-way is refused before anything moves.
  for (const fs::path& name : entries) {
    const fs::path target = directory_ / name;
    if (fs::exists(target, error) &&
        fs::is_directory(target, error) != fs::is_directory(staging_ / name, error))
      fail("{}: exists and is {}a directory", target.string(),
           fs::is_directory(target, error) ? "" : "not ");
  }
  for (const fs::path& name : entries) {
    const fs::path target = directory_ / name;
    const fs::path old = directory_ / (".pimhls-old-" + name.string());
    const bool replace_directory = fs::is_directory(target, error);
    if (replace_directory) {
      fs::remove_all(old, error);
      fs::rename(target, old, error);
      if (error) fail("{}: cannot replace: {}", target.string(), error.message());
    }
    fs::rename(staging_ / name, target, error);
    if (error) fail("{}: cannot write: {}", target.string(), error.message());
    if (replace_directory) fs::remove_all(old, error);
  }
  committed_ = true;
  fs::remove_all(staging_, error);
}

}  // namespace pimhls::emit
