#pragma once
// All-or-nothing output of a run with sub-directories (OUT/rtl/, OUT/rom/, ...): everything is
// written under OUT/.pimhls-partial/ first; commit() then moves each top-level entry into OUT,
// replacing what was there (a directory as a whole, so no stale file of an older design stays).
// Destroyed without commit(), it removes the staging directory and OUT keeps its old contents
// (an OUT it created is removed again).
// Entries of OUT that the run does not write (e.g. OUT/.verilator, the sim cache) are kept.
#include <filesystem>
#include <string>
#include <string_view>

namespace pimhls::emit {

class StagedOutput {
 public:
  // Throws Error when `directory` cannot be created or is not a directory.
  explicit StagedOutput(std::filesystem::path directory);
  ~StagedOutput();
  StagedOutput(const StagedOutput&) = delete;
  StagedOutput& operator=(const StagedOutput&) = delete;

  const std::filesystem::path& directory() const { return directory_; }
  // Where writers put their files (same file system as the directory: renames are cheap).
  const std::filesystem::path& staging() const { return staging_; }
  // Writes staging()/relative, creating the parent directories.
  void write(const std::string& relative, std::string_view contents) const;
  void commit();

 private:
  std::filesystem::path directory_;
  std::filesystem::path staging_;
  bool committed_ = false;
  bool created_ = false;  // OUT did not exist before
};

}  // namespace pimhls::emit
