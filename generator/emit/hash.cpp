#include "emit/hash.h"

#include <fmt/format.h>

namespace pimhls::emit {

Fnv1a& Fnv1a::add(std::string_view text) {
  for (const char c : text) {
    state_ ^= static_cast<unsigned char>(c);
    state_ *= 0x100000001b3ull;
  }
  // The length separates ("ab", "c") from ("a", "bc").
  for (int shift = 0; shift < 64; shift += 8) {
    state_ ^= (text.size() >> shift) & 0xff;
    state_ *= 0x100000001b3ull;
  }
  return *this;
}

std::string Fnv1a::hex() const { return fmt::format("{:016x}", state_); }

std::string fnv1a_hex(std::string_view text) { return Fnv1a().add(text).hex(); }

}  // namespace pimhls::emit
