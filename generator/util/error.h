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

// Runs `stage`; an Error it throws gets "place: " in front (the file a later stage works on,
// for errors that name only a node).
template <typename Stage>
decltype(auto) in_context(const std::string& place, Stage&& stage) {
  try {
    return std::forward<Stage>(stage)();
  } catch (const Error& error) {
    fail("{}: {}", place, error.what());
  }
}

}  // namespace pimhls
