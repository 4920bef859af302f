#pragma once
// The first lines of every generated file: what wrote it (pimhls version) and from what (a hash
// of the inputs). No date: the same inputs give the same bytes.
#include <string>

namespace pimhls::emit {

// `comment` is the line-comment marker of the file's language ("//", "#").
std::string header(const std::string& comment, const std::string& file, const std::string& what,
                   const std::string& input_hash);

std::string pimhls_version();

}  // namespace pimhls::emit
