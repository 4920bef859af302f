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

// A smallest budget in mm2 rounded up to the 0.001 mm2 the messages print, so that the printed
// value is itself feasible.
double mm2_rounded_up(double area_um2);

}  // namespace pimhls::opt
