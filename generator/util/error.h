#pragma once
// The one error type that reaches the user. Every message is a single line that names the
// place (file, node or key, line) and what is wrong; cli/ prints it and exits with 1.
#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace pimhls {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Throws Error with a fmt-formatted message.
template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace pimhls
