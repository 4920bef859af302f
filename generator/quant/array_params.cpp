#include "quant/array_params.h"

#include <algorithm>
#include <charconv>

#include "util/error.h"
#include "util/text.h"

namespace pimhls::quant {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int parse_int(std::string_view key, std::string_view value, const std::string& source) {
  int result = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (error != std::errc{} || end != value.data() + value.size())
    fail("{}: {}={}: not an integer", source, key, value);
  return result;
}

void check(const std::string& source, std::string_view key, int value, int low, int high) {
  if (value < low || value > high)
    fail("{}: {} = {}: must be {}..{}", source, key, value, low, high);
}

}  // namespace

const ArrayParams& ArrayMap::at(const std::string& layer) const {
  const auto found = layers.find(layer);
  return found == layers.end() ? fallback : found->second;
}

const char* adc_mode_name(AdcMode mode) {
  switch (mode) {
    case AdcMode::Clip: return "clip";
    case AdcMode::Scale: return "scale";
    case AdcMode::Lossless: return "lossless";
  }
  return "?";
}

const char* encoding_name(WeightEncoding encoding) {
  switch (encoding) {
    case WeightEncoding::TwosComplement: return "twos";
    case WeightEncoding::Offset: return "offset";
    case WeightEncoding::OffsetReference: return "offset_ref";
  }
  return "?";
}

const char* input_encoding_name(InputEncoding encoding) {
  return encoding == InputEncoding::TwosComplement ? "twos" : "offset";
}

bool has_reference_column(const ArrayParams& params) {
  return params.encoding == WeightEncoding::OffsetReference;
}

std::string describe(const ArrayParams& p) {
  const std::string adc = p.adc_mode == AdcMode::Lossless
                              ? std::string("lossless readout")
                              : fmt::format("{}-b ADC ({})", p.adc_bits, adc_mode_name(p.adc_mode));
  return fmt::format(
      "{}x{} array, {} b/cell, {}-b DAC, {} rows at once, {}, {} weights, {} signed "
      "inputs{}{}",
      p.rows, p.cols, p.bits_per_cell, p.dac_bits, p.parallel_rows, adc, encoding_name(p.encoding),
      input_encoding_name(p.input_encoding), p.whole_kernels ? ", whole kernels" : "",
      p.groups_per_array > 1 ? fmt::format(", {} groups per array", p.groups_per_array) : "");
}

void set_array_field(ArrayParams& params, std::string_view key, std::string_view value,
                     const std::string& source) {
  if (key == "rows")
    params.rows = parse_int(key, value, source);
  else if (key == "cols")
    params.cols = parse_int(key, value, source);
  else if (key == "bits_per_cell")
    params.bits_per_cell = parse_int(key, value, source);
  else if (key == "dac_bits")
    params.dac_bits = parse_int(key, value, source);
  else if (key == "parallel_rows")
    params.parallel_rows = parse_int(key, value, source);
  else if (key == "adc_bits")
    params.adc_bits = parse_int(key, value, source);
  else if (key == "adc" || key == "adc_mode") {
    if (value == "clip" || value == "saturate")
      params.adc_mode = AdcMode::Clip;
    else if (value == "scale" || value == "shift")
      params.adc_mode = AdcMode::Scale;
    else if (value == "lossless" || value == "digital")
      params.adc_mode = AdcMode::Lossless;
    else
      fail("{}: {}={}: must be clip, scale or lossless (digital)", source, key, value);
  } else if (key == "encoding" || key == "weight_encoding") {
    if (value == "twos" || value == "twos_complement")
      params.encoding = WeightEncoding::TwosComplement;
    else if (value == "offset")
      params.encoding = WeightEncoding::Offset;
    else if (value == "offset_ref")
      params.encoding = WeightEncoding::OffsetReference;
    else
      fail("{}: {}={}: must be twos, offset or offset_ref", source, key, value);
  } else if (key == "input_encoding" || key == "activation_encoding") {
    if (value == "twos" || value == "twos_complement")
      params.input_encoding = InputEncoding::TwosComplement;
    else if (value == "offset" || value == "unsigned")
      params.input_encoding = InputEncoding::Offset;
    else
      fail("{}: {}={}: must be twos or offset", source, key, value);
  } else if (key == "whole_kernels") {
    if (value == "true" || value == "1")
      params.whole_kernels = true;
    else if (value == "false" || value == "0")
      params.whole_kernels = false;
    else
      fail("{}: {}={}: must be true or false", source, key, value);
  } else if (key == "groups_per_array") {
    params.groups_per_array = parse_int(key, value, source);
  } else {
    const std::vector<std::string> keys{
        "rows", "cols",     "bits_per_cell",  "dac_bits",      "parallel_rows",   "adc_bits",
        "adc",  "encoding", "input_encoding", "whole_kernels", "groups_per_array"};
    const auto suggestion = closest_match(key, keys);
    fail("{}: unknown array parameter '{}'{}; known: {}", source, key,
         suggestion ? fmt::format(" (did you mean '{}'?)", *suggestion) : "", join(keys));
  }
}

ArrayParams parse_array_spec(std::string_view spec, const std::string& source, ArrayParams base) {
  while (!spec.empty()) {
    const std::size_t comma = spec.find(',');
    const std::string_view entry = trim(spec.substr(0, comma));
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (entry.empty()) continue;
    const std::size_t equals = entry.find('=');
    if (equals == std::string_view::npos)
      fail("{}: '{}' is not key=value (e.g. rows=256,adc_bits=9)", source, entry);
    set_array_field(base, trim(entry.substr(0, equals)), trim(entry.substr(equals + 1)), source);
  }
  return base;
}

void validate(const ArrayParams& p, int weight_bits, const std::string& source) {
  check(source, "rows", p.rows, 1, 1 << 20);
  check(source, "cols", p.cols, 1, 1 << 20);
  check(source, "bits_per_cell", p.bits_per_cell, 1, 8);
  check(source, "dac_bits", p.dac_bits, 1, 8);
  check(source, "parallel_rows", p.parallel_rows, 1, p.rows);
  check(source, "groups_per_array", p.groups_per_array, 1, 1 << 20);
  if (p.adc_mode != AdcMode::Lossless) check(source, "adc_bits", p.adc_bits, 1, 32);
  const std::int64_t columns = static_cast<std::int64_t>(weight_slices(p, weight_bits).size()) +
                               (has_reference_column(p) ? 1 : 0);
  if (columns > p.cols)
    fail("{}: cols = {}: one {}-bit weight needs {} columns ({} encoding, {} bits per cell)",
         source, p.cols, weight_bits, columns, encoding_name(p.encoding), p.bits_per_cell);
}

std::vector<WeightSlice> weight_slices(const ArrayParams& params, int weight_bits) {
  std::vector<WeightSlice> slices;
  const bool twos = params.encoding == WeightEncoding::TwosComplement;
  const int magnitude_bits = twos ? weight_bits - 1 : weight_bits;
  for (int first = 0; first < magnitude_bits; first += params.bits_per_cell)
    slices.push_back({first, std::min(params.bits_per_cell, magnitude_bits - first), false});
  if (twos) slices.push_back({weight_bits - 1, 1, true});
  return slices;
}

int reference_level(const ArrayParams& params, int weight_bits) {
  return 1 << (std::min(params.bits_per_cell, weight_bits) - 1);
}

int reference_shift(const ArrayParams& params, int weight_bits) {
  return weight_bits - std::min(params.bits_per_cell, weight_bits);
}

std::int64_t weights_per_array(const ArrayParams& params, int weight_bits) {
  const std::int64_t reference = has_reference_column(params) ? 1 : 0;
  return (params.cols - reference) /
         static_cast<std::int64_t>(weight_slices(params, weight_bits).size());
}

std::vector<InputChunk> input_chunks(const ArrayParams& params, int input_bits, bool signed_input) {
  const bool sign_phase = signed_input && params.input_encoding == InputEncoding::TwosComplement;
  const int magnitude_bits = sign_phase ? input_bits - 1 : input_bits;
  std::vector<InputChunk> chunks;
  for (int first = 0; first < magnitude_bits; first += params.dac_bits)
    chunks.push_back({first, std::min(params.dac_bits, magnitude_bits - first), false});
  if (sign_phase) chunks.push_back({input_bits - 1, 1, true});
  return chunks;
}

std::vector<RowBlock> row_blocks(const ArrayParams& params, std::int64_t matrix_rows,
                                 std::int64_t kernel_taps) {
  std::int64_t rows_per_array = params.rows;
  if (params.whole_kernels && kernel_taps > 0 && kernel_taps <= params.rows)
    rows_per_array = params.rows / kernel_taps * kernel_taps;
  std::vector<RowBlock> blocks;
  for (std::int64_t array = 0; array * rows_per_array < matrix_rows; ++array) {
    const std::int64_t end = std::min(matrix_rows, (array + 1) * rows_per_array);
    for (std::int64_t first = array * rows_per_array; first < end; first += params.parallel_rows)
      blocks.push_back({first, std::min<std::int64_t>(params.parallel_rows, end - first), array});
  }
  return blocks;
}

}  // namespace pimhls::quant
