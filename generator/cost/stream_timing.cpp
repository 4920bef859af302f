#include "cost/stream_timing.h"

#include <algorithm>
#include <cmath>

#include "util/error.h"

namespace pimhls::cost {
namespace {

constexpr std::int64_t kSlotPeriod = 64;
// A memo keeps a group's whole timeline only when it has at least this many output pixels per
// word of its stages (the fingerprint's input).
constexpr std::size_t kMemoPixelsPerKeyWord = 64;
constexpr std::size_t kMaxClasses = 16;
// A memo keeps a group's span when it has at least this many output pixels per word of its
// stages (timing a smaller one costs about as much as its fingerprint and lookup).
constexpr std::size_t kSpanPixelsPerWord = 4;
// Spans a memo keeps at most (about 50 bytes each).
constexpr std::size_t kMaxSpans = std::size_t{1} << 22;

// The group's output pixels (the work of timing it) per word of its stages (the fingerprint's
// input), rounded down.
std::size_t output_pixels_per_word(std::span<const Stage> stages) {
  std::size_t pixels = 0, words = 0;
  for (const Stage& stage : stages) {
    pixels += static_cast<std::size_t>(stage.height * stage.width);
    words += 4 + 7 * stage.classes.size() + 2 * stage.inputs.size();
  }
  return words == 0 ? 0 : pixels / words;
}

// A producer of the group that a stage reads: its prefix maxima of output times, and the last
// of its pixels each output pixel reads (nullptr: the same pixel). Inputs from outside the
// group are ready at START and have no Source.
struct Source {
  const std::int64_t* out = nullptr;
  const std::int32_t* last_pixel = nullptr;
};

// When each input pixel of `v` is out: the latest, over the sources, of the prefix maximum up
// to the last pixel the window reads (exact when outputs come out in raster order, an upper
// bound otherwise).
std::int64_t ready(std::span<const Source> sources, std::int64_t v) {
  std::int64_t at = 0;
  for (const Source& source : sources) {
    const std::int64_t pixel = source.last_pixel == nullptr ? v : source.last_pixel[v];
    if (pixel >= 0) at = std::max(at, source.out[pixel]);
  }
  return at;
}

// A vector engine: pixel p in cycle first(p), out one cycle later.
std::int64_t run_vector_stage(const Stage& stage, std::span<const Source> sources,
                              std::int64_t* out, StageTimes& times) {
  std::int64_t next_free = stage.ready, latest = 0;
  for (std::int64_t p = 0; p < stage.height * stage.width; ++p) {
    const std::int64_t first = std::max(next_free, ready(sources, p));
    if (p == 0) times.first_start = first;
    next_free = first + 1;
    latest = std::max(latest, first + 1);
    out[p] = latest;
  }
  return latest;
}

// A weight unit: vector v goes to the class of its slot, and within it to its copies in turn.
std::int64_t run_weight_stage(const Stage& stage, std::span<const Source> sources,
                              std::int64_t* out, StageTimes& times,
                              std::vector<std::int64_t>& copy_free, std::int64_t* class_done) {
  copy_free.clear();
  for (const CopyClass& c : stage.classes)
    copy_free.insert(copy_free.end(), static_cast<std::size_t>(std::max<std::int64_t>(c.copies, 1)),
                     c.ready);
  std::int64_t next_copy[kMaxClasses] = {};  // per class: the copy of its next vector
  for (std::size_t k = 0; k < stage.classes.size(); ++k) class_done[k] = stage.classes[k].ready;
  std::int64_t latest = 0;
  const std::int64_t period = stage.classes.front().slots.period;
  times.first_start = -1;
  for (std::int64_t v = 0, slot = 0; v < stage.height * stage.width;
       ++v, slot = slot + 1 == period ? 0 : slot + 1) {
    std::size_t k = 0, first_copy = 0;
    while (k + 1 < stage.classes.size() &&
           !(slot >= stage.classes[k].slots.lo && slot < stage.classes[k].slots.hi)) {
      first_copy += static_cast<std::size_t>(std::max<std::int64_t>(stage.classes[k].copies, 1));
      ++k;
    }
    const CopyClass& c = stage.classes[k];
    const std::int64_t class_copies = std::max<std::int64_t>(c.copies, 1);
    std::int64_t& free = copy_free[first_copy + static_cast<std::size_t>(next_copy[k])];
    if (++next_copy[k] == class_copies) next_copy[k] = 0;
    const std::int64_t start = std::max(free, ready(sources, v));
    if (times.first_start < 0) times.first_start = start;
    free = start + c.interval;
    latest = std::max(latest, start + c.depth);
    class_done[k] = std::max(class_done[k], start + c.depth);
    out[v] = latest;
  }
  return latest;
}

}  // namespace

GroupTimeline stream_timing(std::span<const Stage> stages) {
  GroupTimeline timeline;
  timeline.stages.resize(stages.size());
  // out_by[s][p]: every pixel 0..p of stage s is out (prefix maximum of the output times), in
  // one buffer for the whole group.
  thread_local std::vector<std::int64_t> out_times;
  thread_local std::vector<std::int64_t> copy_free;
  std::size_t total = 0;
  for (const Stage& stage : stages) total += static_cast<std::size_t>(stage.height * stage.width);
  out_times.resize(total);
  std::vector<std::int64_t*> out_by(stages.size());
  thread_local std::vector<Source> sources;
  std::int64_t end = kRunStart;
  std::size_t offset = 0;
  for (std::size_t s = 0; s < stages.size(); ++s) {
    const Stage& stage = stages[s];
    out_by[s] = out_times.data() + offset;
    offset += static_cast<std::size_t>(stage.height * stage.width);
    if (stage.classes.size() > kMaxClasses)
      fail("a unit on {} tile configurations (at most {})", stage.classes.size(), kMaxClasses);
    sources.clear();
    for (const StageInput& input : stage.inputs)
      if (input.stage >= 0)
        sources.push_back({out_by[static_cast<std::size_t>(input.stage)],
                           input.edge == nullptr ? nullptr : input.edge->last_pixel.data()});
    StageTimes& times = timeline.stages[s];
    times.first_class = timeline.class_done.size();
    timeline.class_done.resize(times.first_class + stage.classes.size());
    const std::int64_t latest =
        stage.classes.empty() ? run_vector_stage(stage, sources, out_by[s], times)
                              : run_weight_stage(stage, sources, out_by[s], times, copy_free,
                                                 timeline.class_done.data() + times.first_class);
    times.done = std::max(kRunStart, latest);
    end = std::max(end, times.done);
  }
  timeline.span = end + 1;  // the barrier completes the cycle after the last DONE
  return timeline;
}

TimingMemo& TimingMemo::operator=(const TimingMemo&) {
  const std::lock_guard lock(mutex_);
  timelines_.clear();
  spans_.clear();
  return *this;
}

std::size_t TimingMemo::size() const {
  const std::lock_guard lock(mutex_);
  return timelines_.size();
}

std::size_t TimingMemo::spans() const {
  const std::lock_guard lock(mutex_);
  return spans_.size();
}

TimingMemo::Fingerprint TimingMemo::fingerprint(std::span<const Stage> stages) {
  // Two independent 64-bit hashes (splitmix64's finalizer over running combinations): two
  // groups share a fingerprint with a probability of about 2^-128 per pair.
  Fingerprint key{stages.size(), ~stages.size()};
  const auto add = [&key](std::int64_t word) {
    const auto mix = [](std::uint64_t x) {
      x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
      x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
      return x ^ (x >> 31);
    };
    const auto value = static_cast<std::uint64_t>(word);
    key.low = mix(key.low ^ (value + 0x9e3779b97f4a7c15ULL));
    key.high = mix(key.high + ((value << 32 | value >> 32) ^ 0xd6e8feb86659fd93ULL)) +
               0x2545f4914f6cdd1dULL;
  };
  for (const Stage& stage : stages) {
    add(stage.height);
    add(stage.width);
    add(static_cast<std::int64_t>(stage.classes.size()));
    add(static_cast<std::int64_t>(stage.inputs.size()));
    if (stage.classes.empty()) add(stage.ready);
    for (const CopyClass& c : stage.classes)
      for (const std::int64_t word :
           {c.copies, c.interval, c.depth, c.slots.period, c.slots.lo, c.slots.hi, c.ready})
        add(word);
    for (const StageInput& input : stage.inputs) {
      add(input.stage);
      add(static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(input.edge)));
    }
  }
  return key;
}

GroupTimeline TimingMemo::timing(std::span<const Stage> stages) {
  if (output_pixels_per_word(stages) < kMemoPixelsPerKeyWord) return stream_timing(stages);
  const Fingerprint key = fingerprint(stages);
  {
    const std::lock_guard lock(mutex_);
    const auto found = timelines_.find(key);
    if (found != timelines_.end()) return found->second;
  }
  GroupTimeline timeline = stream_timing(stages);
  const std::lock_guard lock(mutex_);
  timelines_.emplace(key, timeline);
  return timeline;
}

std::int64_t TimingMemo::span(std::span<const Stage> stages) {
  if (output_pixels_per_word(stages) < kSpanPixelsPerWord) return stream_timing(stages).span;
  const Fingerprint key = fingerprint(stages);
  {
    const std::lock_guard lock(mutex_);
    const auto found = spans_.find(key);
    if (found != spans_.end()) return found->second;
  }
  const std::int64_t span = stream_timing(stages).span;
  const std::lock_guard lock(mutex_);
  if (spans_.size() >= kMaxSpans) spans_.clear();  // bounds the memory of long searches
  spans_.emplace(key, span);
  return span;
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
  std::vector<VectorSlots> best, slots;
  std::vector<std::int64_t> count(throughput.size());
  std::vector<std::pair<double, std::size_t>> remainder;
  std::int64_t best_finish = -1;
  for (std::int64_t period = 1; period <= std::min(kSlotPeriod, vectors); ++period) {
    remainder.clear();
    std::int64_t used = 0;
    for (std::size_t k = 0; k < throughput.size(); ++k) {
      const double ideal = static_cast<double>(period) * throughput[k] / total;
      count[k] = static_cast<std::int64_t>(std::floor(ideal));
      used += count[k];
      remainder.emplace_back(-(ideal - static_cast<double>(count[k])), k);
    }
    std::sort(remainder.begin(), remainder.end());
    for (std::size_t i = 0; used < period; ++i, ++used) ++count[remainder[i].second];
    slots.clear();
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
