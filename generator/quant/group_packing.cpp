#include "quant/group_packing.h"

#include "util/error.h"

namespace pimhls::quant {

std::vector<std::int32_t> pack_group_weights(std::span<const std::int32_t> weights,
                                             std::int64_t groups, std::int64_t columns,
                                             std::int64_t rows, std::int64_t groups_per_array) {
  if (groups_per_array < 1 || groups % groups_per_array != 0 ||
      static_cast<std::int64_t>(weights.size()) != groups * columns * rows)
    fail("packing {} groups of {}x{} weights {} per array: the counts do not agree", groups, rows,
         columns, groups_per_array);
  const std::int64_t packed_rows = groups_per_array * rows;
  std::vector<std::int32_t> packed(static_cast<std::size_t>(groups * columns * packed_rows), 0);
  for (std::int64_t channel = 0; channel < groups * columns; ++channel) {
    const std::int64_t within_pack = (channel / columns) % groups_per_array;
    for (std::int64_t k = 0; k < rows; ++k)
      packed[static_cast<std::size_t>(channel * packed_rows + within_pack * rows + k)] =
          weights[static_cast<std::size_t>(channel * rows + k)];
  }
  return packed;
}

LayerMatrix pack_group_matrix(LayerMatrix matrix, std::int64_t groups_per_array) {
  if (groups_per_array < 1 || matrix.groups % groups_per_array != 0)
    fail("{} groups cannot be packed {} per array", matrix.groups, groups_per_array);
  matrix.groups /= groups_per_array;
  matrix.rows *= groups_per_array;
  matrix.columns *= groups_per_array;
  return matrix;
}

}  // namespace pimhls::quant
