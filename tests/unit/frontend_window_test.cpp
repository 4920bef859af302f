// auto_pad and output-size arithmetic, against cases worked out by hand from the ONNX formulas.
#include <catch2/catch.hpp>

#include "frontend/window.h"
#include "util/error.h"

namespace pimhls::frontend {
namespace {

WindowAxis axis(std::int64_t input, std::int64_t kernel, std::int64_t stride,
                std::int64_t dilation = 1, std::int64_t pad_begin = 0, std::int64_t pad_end = 0) {
  return WindowAxis{input, kernel, stride, dilation, pad_begin, pad_end};
}

TEST_CASE("explicit pads: floor((in + pads - k) / s) + 1") {
  WindowAxis a = axis(5, 3, 2, 1, 1, 1);  // (5 + 2 - 3) / 2 + 1 = 3
  CHECK(resolve_axis(a, AutoPad::NotSet, false) == 3);
  CHECK(a.pad_begin == 1);
  CHECK(a.pad_end == 1);
  WindowAxis b = axis(7, 3, 1, 2);  // dilated kernel 5: (7 - 5) / 1 + 1 = 3
  CHECK(resolve_axis(b, AutoPad::NotSet, false) == 3);
}

TEST_CASE("ceil_mode rounds the last partial window up") {
  WindowAxis floor_axis = axis(6, 3, 2);  // (6 - 3) / 2 = 1.5 -> 1 + 1 = 2
  CHECK(resolve_axis(floor_axis, AutoPad::NotSet, false) == 2);
  WindowAxis ceil_axis = axis(6, 3, 2);  // ceil(1.5) = 2 -> 3
  CHECK(resolve_axis(ceil_axis, AutoPad::NotSet, true) == 3);
}

TEST_CASE("SAME_UPPER and SAME_LOWER put the odd pad at the end or the beginning") {
  // in 6, k 3, s 2: out = ceil(6/2) = 3; total pad = (3-1)*2 + 3 - 6 = 1.
  WindowAxis upper = axis(6, 3, 2);
  CHECK(resolve_axis(upper, AutoPad::SameUpper, false) == 3);
  CHECK(upper.pad_begin == 0);
  CHECK(upper.pad_end == 1);
  WindowAxis lower = axis(6, 3, 2);
  CHECK(resolve_axis(lower, AutoPad::SameLower, false) == 3);
  CHECK(lower.pad_begin == 1);
  CHECK(lower.pad_end == 0);
  // in 5, k 3, s 2: out 3, total = 4 + 3 - 5 = 2, split evenly.
  WindowAxis even = axis(5, 3, 2);
  CHECK(resolve_axis(even, AutoPad::SameUpper, false) == 3);
  CHECK(even.pad_begin == 1);
  CHECK(even.pad_end == 1);
  // in 7, k 3 dilated by 2 (5 wide), s 1: out 7, total = 6 + 5 - 7 = 4.
  WindowAxis dilated = axis(7, 3, 1, 2);
  CHECK(resolve_axis(dilated, AutoPad::SameLower, false) == 7);
  CHECK(dilated.pad_begin == 2);
  CHECK(dilated.pad_end == 2);
  // A 1-wide kernel with stride 3 over 5: out 2, total = 3 + 1 - 5 < 0 -> no padding.
  WindowAxis strided = axis(5, 1, 3);
  CHECK(resolve_axis(strided, AutoPad::SameUpper, false) == 2);
  CHECK(strided.pad_begin == 0);
  CHECK(strided.pad_end == 0);
}

TEST_CASE("VALID drops explicit pads and ignores ceil_mode") {
  WindowAxis valid = axis(6, 3, 2, 1, 2, 2);  // ceil((6 - 3 + 1) / 2) = 2
  CHECK(resolve_axis(valid, AutoPad::Valid, true) == 2);
  CHECK(valid.pad_begin == 0);
  CHECK(valid.pad_end == 0);
}

TEST_CASE("a window larger than its padded input is an error") {
  WindowAxis too_big = axis(2, 5, 1);
  REQUIRE_THROWS_WITH(resolve_axis(too_big, AutoPad::NotSet, false),
                      Catch::Contains("larger than the padded input"));
}

TEST_CASE("parse_auto_pad") {
  CHECK(parse_auto_pad("NOTSET") == AutoPad::NotSet);
  CHECK(parse_auto_pad("SAME_UPPER") == AutoPad::SameUpper);
  CHECK(parse_auto_pad("SAME_LOWER") == AutoPad::SameLower);
  CHECK(parse_auto_pad("VALID") == AutoPad::Valid);
  REQUIRE_THROWS_WITH(parse_auto_pad("SAME"), Catch::Contains("auto_pad"));
}

}  // namespace
}  // namespace pimhls::frontend
