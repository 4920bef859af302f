#include <catch2/catch.hpp>

#include "util/text.h"

using namespace pimhls;

TEST_CASE("edit distance counts single-character edits") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("adc", "") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("adc_bits", "adcbits") == 1);
}

TEST_CASE("closest_match suggests near misses only") {
  const std::vector<std::string> keys{"adc_bits", "dac_bits", "bits_per_cell", "array_sizes"};
  CHECK(closest_match("adc_bit", keys) == "adc_bits");
  CHECK(closest_match("bits_per_cel", keys) == "bits_per_cell");
  CHECK_FALSE(closest_match("frequency", keys).has_value());
}

TEST_CASE("numbers get thousands separators") {
  CHECK(with_thousands(0) == "0");
  CHECK(with_thousands(999) == "999");
  CHECK(with_thousands(12976266) == "12,976,266");
  CHECK(with_thousands(-1000) == "-1,000");
  CHECK(join({"a", "b", "c"}) == "a, b, c");
}
