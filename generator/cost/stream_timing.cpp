#include "cost/stream_timing.h"

#include <algorithm>
#include <cmath>

namespace pimhls::cost {
namespace {

constexpr std::int64_t kSlotPeriod = 64;

// When each input pixel of `v` is out: the latest, over the stage's inputs, of the prefix
// maximum of the producer's output times up to the last pixel the window reads (exact when
// outputs come out in raster order, an upper bound otherwise).
std::int64_t ready(const Stage& stage, std::int64_t v,
                   const std::vector<std::vector<std::int64_t>>& out_by) {
  std::int64_t at = 0;
  for (const StageInput& input : stage.inputs) {
    if (input.stage < 0) continue;
    const std::int64_t pixel =
        input.edge == nullptr ? v : input.edge->last_pixel[static_cast<std::size_t>(v)];
    if (pixel >= 0)
      at = std::max(at,
                    out_by[static_cast<std::size_t>(input.stage)][static_cast<std::size_t>(pixel)]);
  }
  return at;
}

}  // namespace

GroupTimeline stream_timing(const std::vector<Stage>& stages) {
  GroupTimeline timeline;
  // out_by[s][p]: every pixel 0..p of stage s is out (prefix maximum of the output times).
  std::vector<std::vector<std::int64_t>> out_by(stages.size());
  std::int64_t end = kRunStart;
  for (std::size_t s = 0; s < stages.size(); ++s) {
    const Stage& stage = stages[s];
    const std::int64_t pixels = stage.height * stage.width;
    std::vector<std::int64_t>& out = out_by[s];
    out.assign(static_cast<std::size_t>(pixels), 0);
    StageTimes times;
    times.done = kRunStart;
    std::int64_t latest = 0;
    if (stage.classes.empty()) {  // vector engine: pixel p in cycle first(p), out one later
      std::int64_t next_free = kRunStart;
      for (std::int64_t p = 0; p < pixels; ++p) {
        const std::int64_t first = std::max(next_free, ready(stage, p, out_by));
        if (p == 0) times.first_start = first;
        next_free = first + 1;
        latest = std::max(latest, first + 1);
        out[static_cast<std::size_t>(p)] = latest;
      }
    } else {
      std::vector<std::vector<std::int64_t>> copy_free;  // per class, per copy
      std::vector<std::int64_t> dealt(stage.classes.size(), 0);
      for (const CopyClass& c : stage.classes)
        copy_free.emplace_back(static_cast<std::size_t>(std::max<std::int64_t>(c.copies, 1)),
                               kRunStart);
      const std::int64_t period = stage.classes.front().slots.period;
      times.first_start = -1;
      for (std::int64_t v = 0, slot = 0; v < pixels;
           ++v, slot = slot + 1 == period ? 0 : slot + 1) {
        std::size_t k = 0;
        while (k + 1 < stage.classes.size() &&
               !(slot >= stage.classes[k].slots.lo && slot < stage.classes[k].slots.hi))
          ++k;
        const CopyClass& c = stage.classes[k];
        std::vector<std::int64_t>& free = copy_free[k];
        std::int64_t& copy_start =
            free[static_cast<std::size_t>(dealt[k]++ % static_cast<std::int64_t>(free.size()))];
        const std::int64_t start = std::max(copy_start, ready(stage, v, out_by));
        if (times.first_start < 0) times.first_start = start;
        copy_start = start + c.interval;
        latest = std::max(latest, start + c.depth);
        out[static_cast<std::size_t>(v)] = latest;
      }
    }
    times.done = std::max(times.done, latest);
    end = std::max(end, times.done);
    timeline.stages.push_back(times);
  }
  timeline.span = end + 1;  // the barrier completes the cycle after the last DONE
  return timeline;
}

std::vector<VectorSlots> vector_slots(
    std::int64_t vectors,
    const std::vector<std::pair<std::int64_t, std::int64_t>>& copies_and_interval) {
  if (copies_and_interval.size() <= 1) return {VectorSlots{}};
  std::vector<double> throughput;
  double total = 0;
  for (const auto& [copies, interval] : copies_and_interval) {
    throughput.push_back(static_cast<double>(copies) / static_cast<double>(interval));
    total += throughput.back();
  }
  // The largest-remainder split of each period; the period whose split finishes first, so that
  // the classes interleave finely (a producer's raster order feeds all of them early).
  std::vector<VectorSlots> best;
  std::int64_t best_finish = -1;
  for (std::int64_t period = 1; period <= std::min(kSlotPeriod, vectors); ++period) {
    std::vector<std::int64_t> count(throughput.size());
    std::vector<std::pair<double, std::size_t>> remainder;
    std::int64_t used = 0;
    for (std::size_t k = 0; k < throughput.size(); ++k) {
      const double ideal = static_cast<double>(period) * throughput[k] / total;
      count[k] = static_cast<std::int64_t>(std::floor(ideal));
      used += count[k];
      remainder.emplace_back(-(ideal - static_cast<double>(count[k])), k);
    }
    std::sort(remainder.begin(), remainder.end());
    for (std::size_t i = 0; used < period; ++i, ++used) ++count[remainder[i].second];
    std::vector<VectorSlots> slots;
    std::int64_t lo = 0, finish = 0;
    for (std::size_t k = 0; k < throughput.size(); ++k) {
      slots.push_back({period, lo, lo + count[k]});
      // Vectors v < vectors with lo <= v mod period < lo + count.
      const std::int64_t whole = vectors / period, rest = vectors % period;
      const std::int64_t served =
          whole * count[k] + std::clamp<std::int64_t>(rest - lo, 0, count[k]);
      const auto [copies, interval] = copies_and_interval[k];
      finish = std::max(finish, (served + copies - 1) / copies * interval);
      lo += count[k];
    }
    if (best_finish < 0 || finish < best_finish) {
      best_finish = finish;
      best = slots;
    }
  }
  return best;
}

}  // namespace pimhls::cost
