#pragma once
// Area values as users write them: "16mm2", "16 mm^2", "0.5mm2", "16000000um2" (um2 and um^2,
// mm2 and mm^2; spaces allowed between the number and the unit). Anything else is an Error
// that quotes the text and shows the accepted forms.
#include <string_view>
#include <vector>

namespace pimhls::opt {

// The area in um2; positive and finite.
double parse_area_um2(std::string_view text);

// "START:STOP:STEP" (each an area) -> START, START + STEP, ... up to STOP (inclusive, with a
// tolerance for rounding); a single area gives one value. At most 1000 values.
std::vector<double> parse_area_range_um2(std::string_view text);

}  // namespace pimhls::opt
