#include "util/files.h"

#include <fstream>
#include <system_error>

#include "util/error.h"

namespace pimhls {

std::string read_file(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) fail("{}: no such file", path.string());
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) fail("{}: cannot read: {}", path.string(), ec.message());
  if (size > max_bytes) fail("{}: file is too large ({} bytes)", path.string(), size);
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("{}: cannot open for reading", path.string());
  std::string contents(size, '\0');
  in.read(contents.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size) fail("{}: read error", path.string());
  return contents;
}

void write_file_atomic(const std::filesystem::path& path, std::string_view contents) {
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) fail("{}: cannot open for writing", path.string());
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    if (!out) fail("{}: write error", path.string());
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    fail("{}: cannot write: {}", path.string(), ec.message());
  }
}

}  // namespace pimhls
