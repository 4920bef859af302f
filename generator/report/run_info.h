#pragma once
// What the reports say about the run besides the optimizer's results: which files went in.
#include <string>

namespace pimhls::report {

struct RunInfo {
  std::string model;             // the ONNX file as given
  std::string hardware_library;  // hw::Library::source ("<built-in>" or a file)
  int weight_bits = 8;
  int activation_bits = 8;
  int accumulator_bits = 32;
};

}  // namespace pimhls::report
