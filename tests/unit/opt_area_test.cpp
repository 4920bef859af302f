// Area values and ranges as the CLI accepts them.
#include <catch2/catch.hpp>

#include "opt/area.h"
#include "util/error.h"

namespace pimhls::opt {
namespace {

TEST_CASE("areas in mm2 and um2") {
  CHECK(parse_area_um2("16mm2") == 16e6);
  CHECK(parse_area_um2("16 mm^2") == 16e6);
  CHECK(parse_area_um2("16000000um2") == 16e6);
  CHECK(parse_area_um2("2500 um^2") == 2500);
  CHECK(parse_area_um2("0.5mm2") == 0.5e6);
  CHECK(parse_area_um2(" 40mm2 ") == 40e6);
}

TEST_CASE("anything else is a one-line error that quotes the text") {
  for (const char* bad : {"16", "16cm2", "abc", "-3mm2", "mm2", "16mm2x", "1e6um2", "", "16 mm 2"})
    CHECK_THROWS_AS(parse_area_um2(bad), Error);
  CHECK_THROWS_WITH(parse_area_um2("16"),
                    "invalid area '16': the unit is missing (expected a number with a unit, e.g. "
                    "16mm2, 16 mm^2 or 16000000um2)");
  CHECK_THROWS_WITH(parse_area_um2("16cm2"), Catch::Contains("unknown unit 'cm2'"));
  CHECK_THROWS_WITH(parse_area_um2("0mm2"), "invalid area '0mm2': it must be positive");
}

TEST_CASE("area ranges START:STOP:STEP") {
  CHECK(parse_area_range_um2("8mm2:64mm2:8mm2") ==
        std::vector<double>{8e6, 16e6, 24e6, 32e6, 40e6, 48e6, 56e6, 64e6});
  CHECK(parse_area_range_um2("10mm2:10mm2:1mm2") == std::vector<double>{10e6});
  CHECK(parse_area_range_um2("16mm2") == std::vector<double>{16e6});
  // 0.1 steps accumulate rounding: 1.0 + 9 * 0.1 must still include 1.9 mm2.
  CHECK(parse_area_range_um2("1mm2:1.9mm2:0.1mm2").size() == 10);
  CHECK_THROWS_WITH(parse_area_range_um2("8mm2:4mm2:1mm2"), Catch::Contains("STOP is below START"));
  CHECK_THROWS_WITH(parse_area_range_um2("8mm2:16mm2"), Catch::Contains("START:STOP:STEP"));
  CHECK_THROWS_WITH(parse_area_range_um2("1um2:10000mm2:1um2"), Catch::Contains("at most 1000"));
  CHECK_THROWS_AS(parse_area_range_um2("8mm2:x:1mm2"), Error);
}

}  // namespace
}  // namespace pimhls::opt

namespace pimhls::opt {

// The smallest budget as the messages print it is itself feasible: rounded up, not to nearest.
TEST_CASE("smallest budgets are printed rounded up to 0.001 mm2") {
  CHECK(mm2_rounded_up(302'400.0) == 0.303);     // nearest would print 0.302, which fails
  CHECK(mm2_rounded_up(302'000.0) == 0.302);     // exact: unchanged
  CHECK(mm2_rounded_up(302'000.0001) == 0.302);  // float noise of 0.302 mm2
  CHECK(mm2_rounded_up(16'000'001.0) == 16.001);
}

}  // namespace pimhls::opt
