#pragma once
// Block-diagonal packing of small conv groups (MNSIM; docs/cost-model.md, "Mapping"): P
// consecutive groups share one array, group j of a pack in rows j*R .. (j+1)*R - 1 and output
// columns j*N .. (j+1)*N - 1 of its block, zeros elsewhere. A pack is then an ordinary group
// of P*R rows and P*N columns: the compiler lays it out, and the analog model computes it,
// like any other group, so both see the same row groups and ADC range.
#include <cstdint>
#include <span>
#include <vector>

#include "quant/analog_mvm.h"

namespace pimhls::quant {

// `weights`: [groups * columns, rows] row-major (a Conv's weight codes, R = rows and N =
// columns per group). Returns [groups * columns, groups_per_array * rows]: the same output
// channels in the same order, each row widened to its pack's inputs. groups_per_array must
// divide groups.
std::vector<std::int32_t> pack_group_weights(std::span<const std::int32_t> weights,
                                             std::int64_t groups, std::int64_t columns,
                                             std::int64_t rows, std::int64_t groups_per_array);

// The matrix of the packs: groups / P groups of P * rows rows and P * columns columns.
LayerMatrix pack_group_matrix(LayerMatrix matrix, std::int64_t groups_per_array);

}  // namespace pimhls::quant
