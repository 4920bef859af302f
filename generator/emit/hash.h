#pragma once
// FNV-1a (64-bit) of texts: the "hash of the inputs" in every generated file's header, and the
// key of the cached Verilator build. Not cryptographic; stable across platforms and runs.
#include <cstdint>
#include <string>
#include <string_view>

namespace pimhls::emit {

class Fnv1a {
 public:
  Fnv1a& add(std::string_view text);
  std::uint64_t value() const { return state_; }
  std::string hex() const;  // 16 lower-case hex digits

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ull;
};

std::string fnv1a_hex(std::string_view text);

}  // namespace pimhls::emit
